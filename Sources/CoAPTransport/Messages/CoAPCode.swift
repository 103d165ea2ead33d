/// A CoAP response code as people write it (`2.05` is 205). An open set, like GRDB's `ResultCode`.
public struct CoAPCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let created = CoAPCode(rawValue: 201)
    public static let deleted = CoAPCode(rawValue: 202)
    public static let valid = CoAPCode(rawValue: 203)
    public static let changed = CoAPCode(rawValue: 204)
    public static let content = CoAPCode(rawValue: 205)
    /// 2.31: the block was taken, send the next (RFC 7959 §2.9.1).
    public static let `continue` = CoAPCode(rawValue: 231)
    public static let badRequest = CoAPCode(rawValue: 400)
    public static let unauthorized = CoAPCode(rawValue: 401)
    /// 4.02: an option the server cannot honour (a Block2 past the end of the answer).
    public static let badOption = CoAPCode(rawValue: 402)
    public static let forbidden = CoAPCode(rawValue: 403)
    public static let notFound = CoAPCode(rawValue: 404)
    public static let methodNotAllowed = CoAPCode(rawValue: 405)
    /// 4.08: a block-wise body arrived out of order or without its first block (RFC 7959 §2.9.2).
    public static let requestEntityIncomplete = CoAPCode(rawValue: 408)
    /// 4.06: no representation in the format the Accept option asks for.
    public static let notAcceptable = CoAPCode(rawValue: 406)
    public static let requestEntityTooLarge = CoAPCode(rawValue: 413)
    public static let unsupportedContentFormat = CoAPCode(rawValue: 415)
    /// 4.29 (RFC 8516): too many requests; Max-Age says when to retry.
    public static let tooManyRequests = CoAPCode(rawValue: 429)
    public static let internalServerError = CoAPCode(rawValue: 500)
    public static let serviceUnavailable = CoAPCode(rawValue: 503)

    public var isSuccess: Bool { rawValue / 100 == 2 }

    /// `2.05`, `4.00`: the dotted form of RFC 7252.
    public var description: String {
        let detail = rawValue % 100
        return "\(rawValue / 100).\(detail < 10 ? "0" : "")\(detail)"
    }
}

/// CoAP request methods (RFC 7252 §12.1.1).
public enum CoAPMethod: Int, Sendable, CaseIterable, CustomStringConvertible {
    case get = 1, post = 2, put = 3, delete = 4

    public var description: String {
        switch self {
        case .get: "GET"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        }
    }
}

/// Content-Format numbers (RFC 7252 §12.3, RFC 8428).
public struct ContentFormat: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let textPlain = ContentFormat(rawValue: 0)
    public static let linkFormat = ContentFormat(rawValue: 40)
    public static let json = ContentFormat(rawValue: 50)
    public static let senmlJSON = ContentFormat(rawValue: 110)
    /// `application/pkcs7-mime; smime-type=certs-only` (RFC 9148): EST's `/crts` answer.
    public static let pkcs7CertsOnly = ContentFormat(rawValue: 281)
    /// `application/pkcs10` (RFC 9148): a certificate signing request, DER.
    public static let pkcs10 = ContentFormat(rawValue: 286)
    /// `application/pkix-cert` (RFC 9148): one certificate, DER.
    public static let pkixCert = ContentFormat(rawValue: 287)
}
