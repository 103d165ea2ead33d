# Case (5) of scripts/bench, remote commands; sourced by it (uses its FLEET, SIM, WORK, PKI, PIDS, start_fleet,
# stop_fleet, forget, log, REPEATS, DURATION, WARMUP). BreakerFleet only: libcoap has no command equivalent,
# so every comparison is within the run (alone vs under check-in load, without vs with a site trip).
#
# One store for all sizes: the largest N devices of a model with remote_trip, the first 1 000 of them
# installed at one commerce site (the site trip), plus 64 devices for the check-in load. For each N, a
# fresh server process and `breaker-sim load --mode commands` with N sessions, driven over a FIFO so that
# its phases line up with the check-in load of a second simulator. Each repeat:
#   1. alone: commands for D s at COMMAND_RATE/s to random devices;
#   2. under load: the 64 x 8 check-in load for D + 1 s, the same commands 0.5 s into its window;
#   3. and 4., in alternating order: the check-in load alone, and with a site trip 1 s into its window.
# The commands simulator measures on its own clock from just before each API call: to the device's receipt
# of the notification, to the 2.04 for its `done` (journaled), and to the first `GET /api/v1/commands/{id}`
# showing `done` (polled every 10 ms; the API's timestamps are whole seconds, too coarse for this).

CMD_RESULTS="$WORK/commands.tsv"; : > "$CMD_RESULTS"
CMD_SITE=cmd-site
CMD_MODEL=BF-CMD
cmd_record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$CMD_RESULTS"; } # DEVICES METRIC CONDITION VALUE

cmd_fail() {
  echo "bench: commands: $*" >&2
  tail -20 "$WORK/cmd-sim.log" >&2 2>/dev/null || true
  exit 1
}

cmd_provision() { # DATA_DIR DEVICES
  local token="$1/admin.token" base="http://127.0.0.1:$FLEET_HTTP" count=$2
  local from until; from=$(date -u -d '-1 year' +%Y-%m-%dT%H:%M:%SZ); until=$(date -u -d '+10 years' +%Y-%m-%dT%H:%M:%SZ)
  cmd_api() { curl -fsS -o /dev/null -H "Authorization: Bearer $(cat "$token")" -H 'Content-Type: application/json' "$@"; }
  cmd_api -X POST "$base/api/v1/models" -d "{\"code\":\"$CMD_MODEL\",\"manufacturer\":\"Bench\",
    \"certification_number\":\"2026010307000001\",\"valid_from\":\"$from\",\"valid_until\":\"$until\",\"rated_current_a\":63,
    \"poles\":2,\"capabilities\":[\"temperature\",\"leakage\",\"remote_trip\",\"remote_reset\"]}"
  cmd_api -X POST "$base/api/v1/sites" -d "{\"id\":\"$CMD_SITE\",\"name\":\"Command bench\",\"category\":\"commerce\",
    \"county\":\"140802\",\"address\":\"1 Bench Road\",\"manager\":{\"name\":\"Bench\",\"phone\":\"+86 359 0000000\"}}"
  log "commands: provisioning $count devices (1 000 at $CMD_SITE) and 64 for the check-in load"
  local installed=$(( count < 1000 ? count : 1000 ))
  # Serials sort CMDA- before CMDB-, so the first 1 000 sessions of any run are the site's devices.
  "$SIM" provision --count "$installed" --out "$WORK/cmd-devices" --issue-via "$base" --token-file "$token" \
    --model "$CMD_MODEL" --site "$CMD_SITE" --serial-prefix CMDA- >/dev/null 2>> "$WORK/sim.log"
  if [ "$count" -gt "$installed" ]; then
    "$SIM" provision --count $((count - installed)) --out "$WORK/cmd-devices" --issue-via "$base" --token-file "$token" \
      --model "$CMD_MODEL" --serial-prefix CMDB- >/dev/null 2>> "$WORK/sim.log"
  fi
  "$SIM" provision --count 64 --out "$WORK/cmd-load" --issue-via "$base" --token-file "$token" \
    --serial-prefix CMDL- >/dev/null 2>> "$WORK/sim.log"
}

# The commands simulator reads its phases from a FIFO on fd 7 and answers each with one JSON line.
cmd_start_sim() { # DEVICES
  rm -f "$WORK/cmd.ctl" "$WORK/cmd.out"; mkfifo "$WORK/cmd.ctl"; : > "$WORK/cmd.out"
  "$SIM" load --mode commands --server "coaps://127.0.0.1:$FLEET_COAPS" --certs "$WORK/cmd-devices" --sessions "$1" \
    --model "$CMD_MODEL" --api "http://127.0.0.1:$FLEET_HTTP" --api-token-file "$CMD_DATA/admin.token" \
    --command-rate "$COMMAND_RATE" --json < "$WORK/cmd.ctl" > "$WORK/cmd.out" 2>> "$WORK/cmd-sim.log" &
  CMD_SIM=$!; PIDS+=("$CMD_SIM")
  exec 7> "$WORK/cmd.ctl"
  CMD_LINES=0
  cmd_next_line $((120 + $1 / 50))
}

cmd_next_line() { # TIMEOUT_S -> CMD_LINE
  local deadline=$(( $(date +%s) + $1 ))
  while [ "$(wc -l < "$WORK/cmd.out")" -le "$CMD_LINES" ]; do
    kill -0 "$CMD_SIM" 2>/dev/null || cmd_fail "the commands simulator stopped"
    [ "$(date +%s)" -lt "$deadline" ] || cmd_fail "no report from the commands simulator after $1 s"
    sleep 0.05
  done
  CMD_LINES=$((CMD_LINES + 1))
  CMD_LINE=$(sed -n "${CMD_LINES}p" "$WORK/cmd.out")
}

cmd_phase() { # LINE TIMEOUT_S -> CMD_LINE
  echo "$1" >&7
  cmd_next_line "$2"
}

cmd_stop_sim() {
  echo quit >&7 || true
  exec 7>&-
  wait "$CMD_SIM" 2>/dev/null || true
  forget "$CMD_SIM"
}

# The 64 x 8 check-in load for D + 1 s; with a phase, that phase goes to the commands simulator OFFSET s
# into the load's measured window (and its report is read after the load).
cmd_checkins() { # OUT [OFFSET PHASE]
  local out=$1 ready="$WORK/cmd-load.ready" loader
  rm -f "$ready"
  "$SIM" load --server "coaps://127.0.0.1:$FLEET_COAPS" --certs "$WORK/cmd-load" --sessions 64 --in-flight 8 \
    --content-format 110 --register --warmup "$WARMUP" --duration $((DURATION + 1)) --ready-file "$ready" --json \
    > "$out" 2>> "$WORK/sim.log" &
  loader=$!; PIDS+=("$loader")
  if [ $# -ge 3 ]; then
    while [ ! -f "$ready" ]; do
      kill -0 "$loader" 2>/dev/null || cmd_fail "the check-in load ended before its sessions were up"
      sleep 0.01
    done
    sleep "$(awk -v w="$WARMUP" -v o="$2" 'BEGIN {print w + o}')"
    echo "$3" >&7
  fi
  wait "$loader" || cmd_fail "the check-in load failed"
  forget "$loader"
  [ $# -ge 3 ] && cmd_next_line 120
  return 0
}

cmd_record_latencies() { # DEVICES CONDITION (from CMD_LINE)
  local k p
  for k in receipt result recorded api; do
    for p in p50 p99; do cmd_record "$1" "${k}_${p}_ms" "$2" "$(jq -r ".${k}_ms.${p} // \"nan\"" <<< "$CMD_LINE")"; done
  done
  cmd_record "$1" "receipt_max_ms" "$2" "$(jq -r '.receipt_ms.max // "nan"' <<< "$CMD_LINE")"
  cmd_record "$1" "commands" "$2" "$(jq .issued <<< "$CMD_LINE")"
  cmd_record "$1" "lost" "$2" "$(jq '.issued - .acknowledged' <<< "$CMD_LINE")"
  log "commands $1 $2: $(jq -r '"\(.issued) issued, \(.acknowledged) done; receipt p50 \(.receipt_ms.p50) p99 \(.receipt_ms.p99) ms; result p99 \(.result_ms.p99) ms; recorded p99 \(.recorded_ms.p99) ms; failures \(.failures)"' <<< "$CMD_LINE")"
}

cmd_record_checkins() { # DEVICES CONDITION FILE
  cmd_record "$1" "checkins_per_s" "$2" "$(jq .throughput_per_second "$3")"
  cmd_record "$1" "checkin_p99_ms" "$2" "$(jq .latency_ms.p99 "$3")"
  log "commands $1 check-ins $2: $(jq -r '"\(.throughput_per_second | floor)/s p99 \(.latency_ms.p99) ms"' "$3")"
}

cmd_site_trip_checkins() { # DEVICES
  cmd_checkins "$WORK/cmd-trip.json" 1 "site-trip $CMD_SITE"
  cmd_record_checkins "$1" site_trip "$WORK/cmd-trip.json"
  cmd_record "$1" "site_trip_trips" site_trip "$(jq .issued <<< "$CMD_LINE")"
  cmd_record "$1" "site_trip_lost" site_trip "$(jq '.issued - .acknowledged' <<< "$CMD_LINE")"
  local k
  for k in last_receipt last_result all_recorded; do
    cmd_record "$1" "site_trip_${k}_s" site_trip "$(jq -r "(.${k}_ms // null) | if . == null then \"nan\" else . / 1000 end" <<< "$CMD_LINE")"
  done
  log "commands $1 site trip: $(jq -r '"\(.issued) trips, \(.acknowledged) done, last receipt \(.last_receipt_ms) ms, last result \(.last_result_ms) ms, all recorded \(.all_recorded_ms) ms"' <<< "$CMD_LINE")"
}

commands_case() {
  local max=0 n r
  for n in $COMMAND_COUNTS; do [ "$n" -gt "$max" ] && max=$n; done
  CMD_DATA="$WORK/cmd-data"
  start_fleet "$CMD_DATA"
  cmd_provision "$CMD_DATA" "$max"
  stop_fleet
  for n in $COMMAND_COUNTS; do
    start_fleet "$CMD_DATA"
    log "commands: connecting $n devices"
    cmd_start_sim "$n"
    cmd_record "$n" connected alone "$(jq .devices <<< "$CMD_LINE")"
    log "commands: $(jq -r '"\(.devices) devices observe /v1/commands after \(.seconds | floor) s"' <<< "$CMD_LINE")"
    for r in $(seq 1 "$REPEATS"); do
      log "commands $n: repeat $r/$REPEATS"
      cmd_phase "issue $DURATION" $((DURATION + 60))
      cmd_record_latencies "$n" alone
      cmd_checkins "$WORK/cmd-load.json" 0.5 "issue $DURATION"
      cmd_record_latencies "$n" load
      cmd_record_checkins "$n" commands "$WORK/cmd-load.json"
      # Alternating which comes first, so that drift over the run favours neither side.
      if [ $((r % 2)) = 1 ]; then
        cmd_checkins "$WORK/cmd-plain.json"; cmd_record_checkins "$n" alone "$WORK/cmd-plain.json"
        cmd_site_trip_checkins "$n"
      else
        cmd_site_trip_checkins "$n"
        cmd_checkins "$WORK/cmd-plain.json"; cmd_record_checkins "$n" alone "$WORK/cmd-plain.json"
      fi
    done
    cmd_stop_sim
    stop_fleet
  done
}

# Two tables: command latencies alone vs under load, and check-ins without vs with a site trip.
commands_tables() {
  cmd_table() { # CONDITION_A CONDITION_B HEADER_A HEADER_B METRIC_REGEX
    awk -F'\t' -v a="$1" -v b="$2" -v ha="$3" -v hb="$4" -v only="$5" '
      function median(key,   n, i, j, t, v) {
        n = split(vals[key], v, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
        lo = v[1]; hi = v[n]
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      }
      function num(x) { return (x + 0 >= 1000 || x == int(x)) ? sprintf("%.0f", x) : sprintf("%.3g", x) }
      function stats(key,   m) { m = median(key); return num(m) " (" num(lo) "–" num(hi) ")" }
      $2 ~ only && ($3 == a || $3 == b) {
        key = $1 SUBSEP $2 SUBSEP $3; vals[key] = vals[key] " " $4
        if (!(($1 SUBSEP $2) in seen)) { seen[$1 SUBSEP $2] = 1; order[++rows] = $1 SUBSEP $2 }
      }
      END {
        printf "| devices | metric | %s median (min–max) | %s median (min–max) | ratio |\n|---|---|---|---|---|\n", ha, hb
        for (r = 1; r <= rows; r++) {
          split(order[r], p, SUBSEP); ka = order[r] SUBSEP a; kb = order[r] SUBSEP b
          sa = (ka in vals) ? stats(ka) : "–"; sb = (kb in vals) ? stats(kb) : "–"
          ratio = ((ka in vals) && (kb in vals) && median(ka) + 0 != 0) ? sprintf("%.2f×", median(kb) / median(ka)) : "–"
          printf "| %s | %s | %s | %s | %s |\n", p[1], p[2], sa, sb, ratio
        }
      }' "$CMD_RESULTS"
  }
  echo "Remote commands (BreakerFleet only; libcoap has no equivalent, so the comparisons are within this run)."
  echo "Latency from just before \`POST /api/v1/commands\` (trip, $COMMAND_RATE/s to random connected devices, ${DURATION} s per"
  echo "repeat) to the device's receipt of the notification, to the 2.04 for its \`done\` (journaled), and to the first"
  echo "\`GET /api/v1/commands/{id}\` showing \`done\` (polled every 10 ms once the device had its 2.04: an upper bound,"
  echo "which adds those GETs to the load); api = the POST's own round trip. Under load: 64 × 8 check-ins from a"
  echo "second simulator. Devices connected: $(awk -F'\t' '$2 == "connected" {printf "%s%s of %s", sep, $4, $1; sep = ", "}' "$CMD_RESULTS")."
  echo
  cmd_table alone load "alone" "under 64 × 8 check-ins" '^(receipt|result|recorded|api)_|^(commands|lost)$'
  echo
  echo "Check-ins (64 × 8, SenML telemetry, $((DURATION + 1)) s windows) without and with a site trip of 1 000 devices"
  echo "1 s into the window (\`POST /api/v1/sites/{id}/trip\`; times from the call to the last device's receipt, to its"
  echo "result's 2.04, and to the API listing all done); and with the commands above running."
  echo
  cmd_table alone site_trip "without site trip" "with site trip" '^(checkins_per_s|checkin_p99_ms|site_trip_)'
  echo
  cmd_table alone commands "check-ins alone" "with $COMMAND_RATE commands/s" '^(checkins_per_s|checkin_p99_ms)$'
  local target
  target=$(awk -F'\t' '$1 == 10000 && $2 == "receipt_p99_ms" && $3 == "alone" {v = v " " $4} END {
    n = split(v, x, " "); if (!n) exit
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
    m = n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
    printf "%.2f ms (%s)", m, (m < 20 ? "met" : "not met") }' "$CMD_RESULTS")
  [ -n "$target" ] && { echo; echo "target: p99 to receipt under 20 ms at 10 000 connected (alone): median $target."; }
  return 0
}
