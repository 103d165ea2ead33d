import FleetDomain

/// The journal body of a command result: the command id (always 20 bytes, `cmd-` and 16 hex digits), then
/// the device's JSON as it arrived. The id comes from the request's path, so it is prepended rather than
/// re-encoded into the device's document.
public enum CommandResultBody {
    public static let idLength = 20

    public static func encode(id: String, deviceBody: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(Command.isWellFormedID(id), "journal only well-formed command ids")
        return Array(id.utf8) + Array(deviceBody)
    }
}
