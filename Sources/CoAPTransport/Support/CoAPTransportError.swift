/// A failure of the transport, with the libcoap or system call that failed.
public struct CoAPTransportError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable { case setup, bind, credentials, system }
    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
