import FleetDomain
import Foundation

/// The JSON answers of the device API (spec/device-api.md), encoded compactly with members in the
/// order the spec lists them, so the same answer is always the same bytes.
public enum DeviceResponses {
    /// `GET /v1/time`: `{"now":1764384000}` (whole Unix seconds).
    public static func time(now: Int64) -> [UInt8] {
        var writer = JSONWriter(capacity: 24)
        writer.beginObject()
        writer.key("now")
        writer.value(now)
        writer.endObject()
        return writer.bytes
    }

    /// `GET /v1/time` at `now`, rounded down to whole seconds.
    public static func time(now: Date) -> [UInt8] {
        time(now: Int64(now.timeIntervalSince1970.rounded(.down)))
    }

    /// `POST /v1/register`:
    /// `{"state":"active","heartbeat_s":120,"profile_version":null,"firmware_version":null,"pending_commands":0}`.
    public static func registration(
        state: DeviceState, heartbeatSeconds: Int, profileVersion: Int?, firmwareVersion: String?, pendingCommands: Int
    ) -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("state")
        writer.value(state.rawValue)
        writer.key("heartbeat_s")
        writer.value(heartbeatSeconds)
        writer.key("profile_version")
        writer.value(profileVersion)
        writer.key("firmware_version")
        writer.value(firmwareVersion)
        writer.key("pending_commands")
        writer.value(pendingCommands)
        writer.endObject()
        return writer.bytes
    }

    /// `POST /v1/telemetry` when the pack raised no alarm: `{"alarms":[]}`.
    public static let telemetryWithoutAlarms: [UInt8] = Array(#"{"alarms":[]}"#.utf8)

    /// `POST /v1/telemetry`: `{"alarms":[…]}`, each alarm writing itself as one JSON value.
    public static func telemetry(alarms: [any JSONWritable]) -> [UInt8] {
        guard !alarms.isEmpty else { return telemetryWithoutAlarms }
        var writer = JSONWriter(capacity: 64 + 64 * alarms.count)
        writer.beginObject()
        writer.key("alarms")
        writer.beginArray()
        for alarm in alarms { alarm.write(to: &writer) }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
