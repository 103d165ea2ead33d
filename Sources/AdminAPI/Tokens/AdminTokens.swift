import Crypto
import FleetDomain
import Foundation

/// API tokens: the secret is shown once at minting; the store keeps only its SHA-256, so a leaked
/// database does not leak usable tokens.
public enum AdminTokens {
    /// Makes secrets recognisable (secret scanners, logs) as BreakerFleet tokens.
    public static let prefix = "bft_"

    /// A new token: `secret` = `bft_` + 32 random bytes in base64url without padding (256 bits, so the
    /// hash needs no salt or slow KDF); `stored` carries its hash and goes to `TokenStore.insertToken`.
    public static func mint(
        name: String, role: Role, expiresAt: Date?, now: Date, counties: [String] = [], random: any RandomSource = SystemRandomSource()
    ) -> (secret: String, stored: StoredToken) {
        let secret = prefix + base64URL(Data(random.bytes(32)))
        let stored = StoredToken(
            id: random.identifier(), name: name, role: role, hash: hash(secret),
            createdAt: now, expiresAt: expiresAt, counties: counties)
        return (secret, stored)
    }

    /// The stored form of a secret: SHA-256 of its UTF-8 bytes (the whole string, prefix included),
    /// lowercase hex.
    public static func hash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    /// RFC 4648 §5: URL- and header-safe, no padding.
    private static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
