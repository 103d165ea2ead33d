import AdminAPI
import FleetDomain
import Foundation
import Glibc
import Logging

/// The admin token of this machine: written once to `data/admin.token`, readable by its owner only, so
/// the CLI on the same machine works without a flag. Only its hash is in the store.
enum LocalAdminToken {
    static func ensure(at url: URL, store: any TokenStore, logger: Logger, now: Date = Date()) async throws {
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
        try SecretFile.write(secret + "\n", to: url)
        logger.info("wrote the local admin token", metadata: ["path": "\(url.path)"])
    }
}

/// Files that hold secrets are created with mode 0600 from the start, never world-readable even briefly.
enum SecretFile {
    static func write(_ text: String, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path]) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}
