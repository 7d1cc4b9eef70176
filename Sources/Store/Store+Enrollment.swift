import Foundation
import GRDB
import Northbound

/// Enrollment tokens and host certificates. The secret of a token never reaches the store, only its hash.
extension Store {
    /// Records a one-time token for a host (admin only); returns the host it enrolls.
    public func createEnrollmentToken(host id: String, hash: String, expiresAt: Date, scope: Scope) async throws -> Committed<Northbound.Host> {
        try Self.requireAdmin(scope)
        return try await write { db, _ in
            let host = try Self.decodeHost(Self.hostRow(db, id))
            try db.cachedExecute(sql: "INSERT INTO enrollment_tokens (hash, host, expires_at) VALUES (?, ?, ?)",
                                 arguments: [hash, id, expiresAt.timeIntervalSince1970])
            return host
        }
    }

    /// Spends a token: if it is known and unexpired, `issue` certifies its host, the certificate's
    /// serial becomes the host's only accepted one, and the token is gone. One transaction, so a
    /// token works exactly once even when two agents race with it.
    public func enroll<T: Sendable>(tokenHash: String, now: Date,
                                    issue: @escaping @Sendable (Northbound.Host) throws -> (serial: String, result: T)) async throws -> T {
        try await write { db, revision in
            guard let row = try db.cachedRow(sql: "SELECT host, expires_at FROM enrollment_tokens WHERE hash = ?", arguments: [tokenHash]) else {
                throw ModelError(.unauthorized, "the enrollment token is not valid (unknown or already used)")
            }
            guard (row["expires_at"] as Double) > now.timeIntervalSince1970 else {
                throw ModelError(.unauthorized, "the enrollment token has expired")
            }
            try db.cachedExecute(sql: "DELETE FROM enrollment_tokens WHERE hash = ?", arguments: [tokenHash])
            let host = try Self.decodeHost(Self.hostRow(db, row["host"]))
            let (serial, result) = try issue(host)
            try db.cachedExecute(sql: "UPDATE hosts SET certificate_serial = ?, revision = ? WHERE id = ?",
                                 arguments: [serial, revision, host.id])
            return result
        }.value
    }

    /// Revokes a host's certificate (admin only): its sessions are refused from now on until it enrolls again.
    public func revokeHost(_ id: String, scope: Scope) async throws -> Committed<Northbound.Host> {
        try Self.requireAdmin(scope)
        return try await write { db, revision in
            var host = try Self.decodeHost(Self.hostRow(db, id))
            try db.cachedExecute(sql: "UPDATE hosts SET certificate_serial = NULL, revision = ? WHERE id = ?", arguments: [revision, id])
            try db.cachedExecute(sql: "DELETE FROM enrollment_tokens WHERE host = ?", arguments: [id])
            host.revision = revision
            return host
        }
    }

    /// Host name → (host id, accepted certificate serial) for every enrolled host.
    public func enrolledCertificates() async throws -> [String: (host: String, serial: String)] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, certificate_serial FROM hosts WHERE certificate_serial IS NOT NULL")
                .reduce(into: [:]) { $0[$1["name"] as String] = ($1["id"] as String, $1["certificate_serial"] as String) }
        }
    }
}
