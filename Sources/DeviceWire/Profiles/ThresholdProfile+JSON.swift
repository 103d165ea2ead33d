import FleetDomain

extension ThresholdProfile {
    /// The profile as compact JSON in the spec's field order (the body of `GET /v1/profile`, a file in
    /// `Profiles/`): the same profile always gives the same bytes, so its hash can serve as a content tag.
    /// Absent optional header fields are left out; every group is written in full.
    ///
    /// `forDevice: true` is the device's copy (`GET /v1/profile`): without `notes` and `standard_basis`,
    /// which are for operators (up to 4 KB and 256 bytes), every valid profile fits one DTLS datagram
    /// (at most ~830 bytes, `deviceCopyLimit`), so a notification needs no block-wise transfer.
    public func jsonBytes(forDevice: Bool = false) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("id"); writer.value(id)
        if let version { writer.key("version"); writer.value(version) }
        writer.key("site_category"); writer.value(siteCategory.rawValue)
        if !forDevice, let standardBasis { writer.key("standard_basis"); writer.value(standardBasis) }
        writer.key("nominal_voltage_v"); writer.value(nominalVoltageV)
        writer.key("cable_insulation"); writer.value(cableInsulation.rawValue)
        if !forDevice, let notes { writer.key("notes"); writer.value(notes) }
        group(&writer, "leakage") { w in
            w.key("warn_ma"); w.value(leakage.warnMA)
            w.key("alarm_ma"); w.value(leakage.alarmMA)
            w.key("delay_s"); w.value(leakage.delayS)
            w.key("action"); w.value(leakage.action.rawValue)
        }
        group(&writer, "temperature") { w in
            w.key("warn_c"); w.value(temperature.warnC)
            w.key("alarm_c"); w.value(temperature.alarmC)
            w.key("delay_s"); w.value(temperature.delayS)
            w.key("action"); w.value(temperature.action.rawValue)
            w.key("override"); w.value(temperature.override)
        }
        group(&writer, "arc") { w in
            w.key("half_cycles_per_s"); w.value(arc.halfCyclesPerS)
            w.key("action"); w.value(arc.action.rawValue)
        }
        group(&writer, "overload") { w in
            w.key("warn_pct"); w.value(overload.warnPct)
            w.key("alarm_pct"); w.value(overload.alarmPct)
            w.key("trip_pct"); w.value(overload.tripPct)
            w.key("trip_delay_s"); w.value(overload.tripDelayS)
        }
        group(&writer, "short_circuit") { w in
            w.key("instant_multiple"); w.value(shortCircuit.instantMultiple)
        }
        group(&writer, "voltage") { w in
            w.key("over_warn_v"); w.value(voltage.overWarnV)
            w.key("over_trip_v"); w.value(voltage.overTripV)
            w.key("under_warn_v"); w.value(voltage.underWarnV)
            w.key("under_trip_v"); w.value(voltage.underTripV)
            w.key("delay_s"); w.value(voltage.delayS)
            w.key("auto_reclose_s"); w.value(voltage.autoRecloseS)
        }
        group(&writer, "power") { w in
            w.key("limit_w"); w.value(power.limitW)
        }
        group(&writer, "reporting") { w in
            w.key("telemetry_interval_s"); w.value(reporting.telemetryIntervalS)
            w.key("heartbeat_s"); w.value(reporting.heartbeatS)
        }
        group(&writer, "remote") { w in
            w.key("allow_remote_trip"); w.value(remote.allowRemoteTrip)
            w.key("allow_remote_reset"); w.value(remote.allowRemoteReset)
            w.key("reset_requires_confirm"); w.value(remote.resetRequiresConfirm)
        }
        writer.endObject()
        return writer.bytes
    }

    /// What the device's copy of any valid profile stays under: a DTLS datagram carries ~1 100 bytes of
    /// CoAP message with libcoap's default MTU.
    public static let deviceCopyLimit = 900

    private func group(_ writer: inout JSONWriter, _ name: String, _ members: (inout JSONWriter) -> Void) {
        writer.key(name)
        writer.beginObject()
        members(&writer)
        writer.endObject()
    }
}
