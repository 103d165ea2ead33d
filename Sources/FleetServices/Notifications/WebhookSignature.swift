import Crypto
import FleetDomain
import Foundation

/// How a site's receiver knows a notice came from this fleet and is fresh: the server sends
/// `X-BreakerFleet-Timestamp: <Unix seconds>` and
/// `X-BreakerFleet-Signature: sha256=<hex HMAC-SHA256(site secret, "<timestamp>.<body>")>`. The receiver
/// recomputes the HMAC over the exact body bytes, compares in constant time, and refuses a timestamp more
/// than 5 minutes from its clock (a replayed notice). `X-BreakerFleet-Delivery` names the notice, the same on
/// every retry, so a receiver that acknowledged it once can drop repeats.
public enum WebhookSignature {
    public static let timestampHeader = "X-BreakerFleet-Timestamp"
    public static let signatureHeader = "X-BreakerFleet-Signature"
    public static let deliveryHeader = "X-BreakerFleet-Delivery"
    public static let tolerance: TimeInterval = 300

    /// `sha256=<64 hex digits>`.
    public static func sign(body: [UInt8], timestamp: Int64, secret: [UInt8]) -> String {
        var message = Array("\(timestamp).".utf8)
        message += body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        return "sha256=" + Hex.encode(Array(mac))
    }

    /// What a receiver does; true only for a matching signature on a fresh timestamp.
    public static func verify(body: [UInt8], timestamp: Int64, signature: String, secret: [UInt8], now: Date) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance,
              signature.hasPrefix("sha256="), let given = Hex.decode(signature.dropFirst(7)) else { return false }
        var message = Array("\(timestamp).".utf8)
        message += body
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: message, using: SymmetricKey(data: secret))
    }
}
