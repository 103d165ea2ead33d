/// A refusal of a device request, in the spec's terms; the gateway maps `kind` to a CoAP code and sends
/// `diagnostic` as the RFC 7252 §5.5.2 diagnostic payload.
public struct DeviceAPIError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case badRequest, forbidden, notFound, methodNotAllowed, unsupportedContentFormat, entityTooLarge
        case serviceUnavailable(maxAge: Int)
    }

    public let kind: Kind
    /// Names what was wrong, field first: `lifetime: 5 is below 60`.
    public let diagnostic: String

    public init(_ kind: Kind, _ diagnostic: String) {
        self.kind = kind
        self.diagnostic = diagnostic
    }

    /// A malformed or invalid body: `field: message`.
    public static func invalid(_ field: String, _ message: String) -> DeviceAPIError {
        DeviceAPIError(.badRequest, field.isEmpty ? message : "\(field): \(message)")
    }

    public static func forbidden(_ message: String) -> DeviceAPIError {
        DeviceAPIError(.forbidden, message)
    }

    public var description: String { diagnostic }
}
