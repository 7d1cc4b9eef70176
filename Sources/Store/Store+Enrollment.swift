import Foundation
import Northbound

/// Enrollment tokens and host certificates. The secret of a token never reaches the store, only its hash.
extension Store {
    /// Records a one-time token for a host (admin only); returns the host it enrolls.
    public func createEnrollmentToken(host id: String, hash: String, expiresAt: Date, scope: Scope) async throws -> Committed<Northbound.Host> {
        try Self.requireAdmin(scope)
        return try await write { db, _ in
            let host = try Self.decodeHost(Self.hostRow(db, id))
            try db.execute(sql: "INSERT INTO enrollment_tokens (hash, host, expires_at) VALUES (?, ?, ?)",
                                 arguments: [hash, id, expiresAt.timeIntervalSince1970])
            return host
        }
    }

    /// Spends a token: if it is known and unexpired, `issue` certifies its host, the certificate's
    /// serial becomes the host's only accepted one, and the token is gone. One transaction, so a
    /// token works exactly once even when two agents race with it.
    public func enroll<T: Sendable>(tokenHash: String, now: Date,
                                    issue: @escaping @Sendable (Northbound.Host) throws -> (serial: String, result: T))
        async throws -> Committed<(host: Northbound.Host, result: T)> {
        try await write { db, revision in
            guard let row = try db.row(sql: "SELECT host, expires_at FROM enrollment_tokens WHERE hash = ?", arguments: [tokenHash]) else {
                throw ModelError(.unauthorized, "the enrollment token is not valid (unknown or already used)")
            }
            guard (row["expires_at"] as Double) > now.timeIntervalSince1970 else {
                throw ModelError(.unauthorized, "the enrollment token has expired")
            }
            try db.execute(sql: "DELETE FROM enrollment_tokens WHERE hash = ?", arguments: [tokenHash])
            let host = try Self.decodeHost(Self.hostRow(db, row["host"]))
            let (serial, result) = try issue(host)
            try db.execute(sql: """
                UPDATE hosts SET certificate_serial = ?, previous_certificate_serial = NULL, revision = ? WHERE id = ?
                """, arguments: [serial, revision, host.id])
            return (host, result)
        }
    }

    /// Renews the certificate of host `name`, presented as `presentedSerial` on the session asking:
    /// `issue` certifies the host again, its serial becomes the current one, and the serial it
    /// replaces stays accepted until it expires (an agent that lost the answer reconnects with it).
    /// Not a change of desired state: no object's revision moves.
    /// - Returns: the host's id, the serials accepted for it now, and what `issue` returned.
    /// - Throws: `unauthorized` when the presented serial is no longer accepted for the host.
    public func renewCertificate<T: Sendable>(hostName name: String, presentedSerial: String,
                                              issue: @escaping @Sendable () throws -> (serial: String, result: T))
        async throws -> Committed<(enrolled: EnrolledCertificate, result: T)> {
        try await write { db, _ in
            guard let row = try db.row(sql: """
                SELECT id, certificate_serial FROM hosts WHERE name = ? AND ? IN (certificate_serial, previous_certificate_serial)
                """, arguments: [name, presentedSerial]) else {
                throw ModelError(.unauthorized, "the certificate is no longer accepted for host '\(name)'")
            }
            let (serial, result) = try issue()
            let (id, replaced): (String, String) = (row["id"], row["certificate_serial"])
            try db.execute(sql: "UPDATE hosts SET certificate_serial = ?, previous_certificate_serial = ? WHERE id = ?",
                                 arguments: [serial, replaced, id])
            return (EnrolledCertificate(host: id, serials: [serial, replaced]), result)
        }
    }

    /// Revokes a host's certificate (admin only): its sessions are refused from now on until it enrolls again.
    public func revokeHost(_ id: String, scope: Scope) async throws -> Committed<Northbound.Host> {
        try Self.requireAdmin(scope)
        return try await write { db, revision in
            var host = try Self.decodeHost(Self.hostRow(db, id))
            try db.execute(sql: """
                UPDATE hosts SET certificate_serial = NULL, previous_certificate_serial = NULL, revision = ? WHERE id = ?
                """, arguments: [revision, id])
            try db.execute(sql: "DELETE FROM enrollment_tokens WHERE host = ?", arguments: [id])
            host.revision = revision
            return host
        }
    }

    /// Whether a host was created, changed (enrolled, renewed, revoked) or deleted after `revision`.
    public func hostsChanged(since revision: Int64) async throws -> Bool {
        try await read { db in
            try db.value(Bool.self, sql: """
                SELECT 1 FROM hosts WHERE revision > ? UNION ALL SELECT 1 FROM tombstones WHERE kind = 'hosts' AND revision > ? LIMIT 1
                """, arguments: [revision, revision]) != nil
        }
    }

    /// Host name → the certificates accepted for it, for every enrolled host, and the revision read.
    public func enrolledCertificates() async throws -> (certificates: [String: EnrolledCertificate], revision: Int64) {
        try await read { db in
            let rows = try db.rows(sql: """
                SELECT id, name, certificate_serial, previous_certificate_serial FROM hosts WHERE certificate_serial IS NOT NULL
                """)
            let certificates = rows.reduce(into: [String: EnrolledCertificate]()) { result, row in
                let serials = [row["certificate_serial"] as String?, row["previous_certificate_serial"] as String?].compactMap { $0 }
                result[row["name"] as String] = EnrolledCertificate(host: row["id"], serials: Set(serials))
            }
            return (certificates, try db.value(Int64.self, sql: "SELECT revision FROM meta") ?? 0)
        }
    }
}
