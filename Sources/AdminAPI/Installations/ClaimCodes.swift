import FleetDomain
import Foundation

/// Claim code secrets: 16 characters of Crockford base32 (80 bits), easy to read out or type from a
/// printout, stored only as SHA-256 like tokens. Single use and a TTL of at most a day bound guessing.
enum ClaimCodes {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    static func mint(
        siteID: String, createdBy: String, now: Date, ttl: Int, random: any RandomSource
    ) -> (secret: String, claim: ClaimCode) {
        // 256 is a multiple of 32, so the low five bits of each byte pick a character without bias.
        let secret = String(decoding: random.bytes(16).map { alphabet[Int($0 & 31)] }, as: UTF8.self)
        let claim = ClaimCode(
            id: "clm-" + random.identifier().prefix(8), hash: hash(secret), siteID: siteID,
            createdBy: createdBy, createdAt: now, expiresAt: now.addingTimeInterval(Double(ttl)))
        return (secret, claim)
    }

    /// Case and separators do not matter to a person typing it: `abcd-efgh…` is `ABCDEFGH…`.
    static func hash(_ secret: String) -> String {
        let normalized = secret.uppercased().filter { $0 != "-" && $0 != " " }
        return AdminTokens.hash(normalized)
    }
}
