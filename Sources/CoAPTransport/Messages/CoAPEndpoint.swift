/// A UDP host and port: where a server listens or a client connects.
public struct CoAPEndpoint: Sendable, Equatable {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }
}
