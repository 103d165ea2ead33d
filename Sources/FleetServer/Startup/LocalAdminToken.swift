import AdminAPI
import FleetDomain
import FleetPKI
import Foundation
import Logging

/// The admin token of this machine: written once to `data/admin.token`, readable by its owner only, so
/// the CLI on the same machine works without a flag. Only its hash is in the store.
enum LocalAdminToken {
    static func ensure(at url: URL, store: any TokenStore & AuditStore, logger: Logger, now: Date) async throws {
        if let secret = try? String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           !secret.isEmpty {
            // The file survives a wiped database: re-register its hash rather than strand the CLI.
            if try await store.token(hash: AdminTokens.hash(secret)) == nil {
                let (_, stored) = AdminTokens.mint(name: "local-admin", role: .admin, expiresAt: nil, now: now)
                var restored = stored
                restored.hash = AdminTokens.hash(secret)
                try await store.insertToken(restored)
                try await audit(restored, restored: true, store: store, now: now)
            }
            return
        }
        let (secret, stored) = AdminTokens.mint(name: "local-admin", role: .admin, expiresAt: nil, now: now)
        try await store.insertToken(stored)
        try await audit(stored, restored: false, store: store, now: now)
        try SecureFile.write(Array((secret + "\n").utf8), to: url, mode: SecureFile.privateMode)
        logger.info("wrote the local admin token", metadata: ["path": "\(url.path)"])
    }

    /// The server creates this token itself, so the trail names the system as its creator. A failure here
    /// stops the start: an audit trail that cannot be written is not one to run on.
    private static func audit(_ token: StoredToken, restored: Bool, store: any AuditStore, now: Date) async throws {
        var detail = ["name": token.name, "role": token.role.rawValue]
        if restored { detail["restored_from"] = "admin.token" }
        _ = try await store.appendAudit([AuditEntry(at: now, actor: .system, action: "token.create", target: "token:\(token.id)",
                                                    detail: detail)])
    }
}
