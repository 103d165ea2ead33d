/// What the device plane is told after a change: the JSON of every profile's latest version by version
/// number (what `GET /v1/profile` serves), the devices whose desired profile changed (nil: none fits), and
/// the `default` profile for devices precedence has not run for yet (they registered a moment ago).
public struct ProfilePublication: Sendable {
    public var bodies: [Int: [UInt8]]
    public var fallback: DesiredProfile?
    public var desired: [Serial: DesiredProfile?]

    public init(bodies: [Int: [UInt8]], fallback: DesiredProfile?, desired: [Serial: DesiredProfile?]) {
        self.bodies = bodies
        self.fallback = fallback
        self.desired = desired
    }
}
