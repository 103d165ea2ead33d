import AdminAPI
import FleetDomain
import FleetPKI
import Foundation
import Logging

/// The admin token of this machine: written once to `data/admin.token`, readable by its owner only, so
/// the CLI on the same machine works without a flag. Only its hash is in the store.
enum LocalAdminToken {
    static func ensure(at url: URL, store: any TokenStore, logger: Logger, now: Date) async throws {
        if let secret = try? String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           !secret.isEmpty {
            // The file survives a wiped database: re-register its hash rather than strand the CLI.
            if try await store.token(hash: AdminTokens.hash(secret)) == nil {
                let (_, stored) = AdminTokens.mint(name: "local-admin", role: .admin, expiresAt: nil, now: now)
                var restored = stored
                restored.hash = AdminTokens.hash(secret)
                try await store.insertToken(restored)
            }
            return
        }
        let (secret, stored) = AdminTokens.mint(name: "local-admin", role: .admin, expiresAt: nil, now: now)
        try await store.insertToken(stored)
        try SecureFile.write(Array((secret + "\n").utf8), to: url, mode: SecureFile.privateMode)
        logger.info("wrote the local admin token", metadata: ["path": "\(url.path)"])
    }
}
