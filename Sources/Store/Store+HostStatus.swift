import Foundation
import Northbound

/// What the controller holding a host's session knows of the host's agent, as it reports it to
/// the other controllers sharing the store.
public struct HostStatusReport: Equatable, Sendable {
    public var host: String
    /// The reporting controller's southbound address.
    public var controller: String
    /// Whether the agent's session with that controller is open (and, as read back, whether that
    /// controller is still serving).
    public var connected: Bool
    public var ackedRevision: Int64
    public var errors: [RealizationError]
    public var routingDomain: String?
    /// When the reporting controller last heard the host (its liveness report); only as read back.
    public var lastSeen: Date?

    public init(host: String, controller: String, connected: Bool, ackedRevision: Int64, errors: [RealizationError],
                routingDomain: String?, lastSeen: Date? = nil) {
        self.host = host
        self.controller = controller
        self.connected = connected
        self.ackedRevision = ackedRevision
        self.errors = errors
        self.routingDomain = routingDomain
        self.lastSeen = lastSeen
    }
}

/// Host status shared by the controllers of one store: each reports the hosts whose agents it
/// serves when a session opens or closes and at each ack, so any controller can answer for any
/// host (`?wait=realized`, a host's status). Not desired state: no revision is spent on it.
extension Store {
    /// Records `reports` and wakes the other controllers' followers. An acked revision never goes
    /// back, and a closed session does not overwrite a report from the controller the agent has
    /// moved to since.
    public func reportHostStatus(_ reports: [HostStatusReport]) async throws {
        guard !reports.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await backend.writeStatus { db in
            for report in reports.sorted(by: { $0.host < $1.host }) {
                let errors = String(decoding: try encoder.encode(report.errors), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO host_status (host, controller, connected, acked_revision, errors, routing_domain)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (host) DO UPDATE SET controller = excluded.controller, connected = excluded.connected,
                        acked_revision = CASE WHEN excluded.acked_revision > host_status.acked_revision
                                              THEN excluded.acked_revision ELSE host_status.acked_revision END,
                        errors = excluded.errors, routing_domain = excluded.routing_domain
                    WHERE excluded.connected = 1 OR host_status.controller = excluded.controller
                    """, arguments: [report.host, report.controller, report.connected, report.ackedRevision, errors,
                                     report.routingDomain])
            }
            try self.backend.announce(.hostStatusReported, in: db)
        }
    }

    /// Records that no agent session is open at `controller` (which has just started: the sessions
    /// it reported before it stopped are gone).
    public func closeHostSessions(controller: String) async throws {
        try await backend.writeStatus { db in
            try db.execute(sql: "UPDATE host_status SET connected = 0 WHERE controller = ?", arguments: [controller])
            try self.backend.announce(.hostStatusReported, in: db)
        }
    }

    /// Every host's last report; a session counts as open only while its controller is serving
    /// (heard within `controllerLostAfter`).
    public func hostStatuses(controllerLostAfter: TimeInterval = 10) async throws -> [HostStatusReport] {
        let decoder = JSONDecoder()
        return try await read { db in
            try db.rows(sql: """
                SELECT s.host, s.controller, s.connected, s.acked_revision, s.errors, s.routing_domain,
                       c.heard_at AS controller_heard_at, l.heard_at AS host_heard_at
                FROM host_status s
                LEFT JOIN controllers c ON c.address = s.controller
                LEFT JOIN host_liveness l ON l.host = s.host AND l.controller = s.controller
                """).map { row in
                let serving = (row["controller_heard_at"] as Double?).map { $0 >= Date().timeIntervalSince1970 - controllerLostAfter } ?? false
                return HostStatusReport(
                    host: row["host"], controller: row["controller"], connected: row["connected"] && serving,
                    ackedRevision: row["acked_revision"],
                    errors: try decoder.decode([RealizationError].self, from: Data((row["errors"] as String).utf8)),
                    routingDomain: row["routing_domain"], lastSeen: (row["host_heard_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    /// Wakes whenever some controller sharing the store reported host status (only the newest
    /// wake-up when the reader lags); the reader reads ``hostStatuses(controllerLostAfter:)``.
    public func hostStatusReports() -> AsyncStream<Void> { hostStatusReported.subscribe() }
}
