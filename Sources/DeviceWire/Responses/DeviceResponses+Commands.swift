import FleetDomain

/// One command as `GET /v1/commands` lists it.
public struct CommandListing: Sendable, Equatable {
    public var id: String
    public var action: RemoteAction
    /// Unix seconds.
    public var issued: Int64
    public var expires: Int64
    public var inspectedBy: String?

    public init(id: String, action: RemoteAction, issued: Int64, expires: Int64, inspectedBy: String? = nil) {
        self.id = id
        self.action = action
        self.issued = issued
        self.expires = expires
        self.inspectedBy = inspectedBy
    }
}

extension DeviceResponses {
    /// `GET /v1/commands`: `[{"id","action","issued","expires","inspected_by"?}]`, oldest first.
    public static func commands(_ listings: [CommandListing]) -> [UInt8] {
        var writer = JSONWriter(capacity: 2 + 110 * listings.count)
        writer.beginArray()
        for listing in listings {
            writer.beginObject()
            writer.key("id"); writer.value(listing.id)
            writer.key("action"); writer.value(listing.action.rawValue)
            writer.key("issued"); writer.value(listing.issued)
            writer.key("expires"); writer.value(listing.expires)
            if let inspector = listing.inspectedBy { writer.key("inspected_by"); writer.value(inspector) }
            writer.endObject()
        }
        writer.endArray()
        return writer.bytes
    }

    /// `POST /v1/heartbeat`: `{"profile_version":3,"firmware_version":null,"pending_commands":0}`.
    public static func heartbeat(profileVersion: Int?, firmwareVersion: String?, pendingCommands: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.key("profile_version"); writer.value(profileVersion)
        writer.key("firmware_version"); writer.value(firmwareVersion)
        writer.key("pending_commands"); writer.value(pendingCommands)
        writer.endObject()
        return writer.bytes
    }
}
