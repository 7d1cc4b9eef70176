import Foundation

/// Status the controllers sharing a store share: which hosts each one hears, and which controller
/// takes the decisions only one may take. Not desired state: no revision is spent on it.
extension Store {
    /// Records that `controller` last heard each host at the time given, and forgets what it
    /// reported an hour ago and never since.
    public func reportLiveness(_ heard: [String: Date], controller: String) async throws {
        let rows = heard.sorted { $0.key < $1.key }
        try await backend.writeStatus { db in
            for chunk in stride(from: 0, to: rows.count, by: 200).map({ rows[$0..<min($0 + 200, rows.count)] }) {
                var arguments = SQLArguments()
                for (host, at) in chunk { arguments += [host, controller, at.timeIntervalSince1970] }
                try db.execute(sql: """
                    INSERT INTO host_liveness (host, controller, heard_at) VALUES \(Array(repeating: "(?, ?, ?)", count: chunk.count).joined(separator: ", "))
                    ON CONFLICT (host, controller) DO UPDATE SET heard_at = excluded.heard_at
                    """, arguments: arguments, reuse: false)
            }
            try db.execute(sql: "DELETE FROM host_liveness WHERE controller = ? AND heard_at < ?",
                           arguments: [controller, Date().timeIntervalSince1970 - 3_600])
        }
    }

    /// When any controller last heard each host.
    public func liveness() async throws -> [String: Date] {
        try await read { db in
            try db.rows(sql: "SELECT host, MAX(heard_at) AS heard_at FROM host_liveness GROUP BY host").reduce(into: [:]) { heard, row in
                heard[row["host"] as String] = Date(timeIntervalSince1970: row["heard_at"])
            }
        }
    }

    /// Records that the controller whose southbound listener is at `address` is serving now.
    public func reportController(_ address: String) async throws {
        try await backend.writeStatus { db in
            try db.execute(sql: """
                INSERT INTO controllers (address, heard_at) VALUES (?, ?)
                ON CONFLICT (address) DO UPDATE SET heard_at = excluded.heard_at
                """, arguments: [address, Date().timeIntervalSince1970])
        }
    }

    /// The southbound addresses of the controllers heard within `seconds`, in address order.
    public func controllers(heardWithin seconds: TimeInterval) async throws -> [String] {
        try await read { db in
            try db.values(String.self, sql: "SELECT address FROM controllers WHERE heard_at >= ? ORDER BY address",
                          arguments: [Date().timeIntervalSince1970 - seconds])
        }
    }

    /// Whether this controller takes the decisions only one controller may take (edge failover):
    /// always with a store of its own; with a shared one, while it holds the database's lease.
    public func isLeader() async -> Bool {
        await backend.holdsLeadership()
    }
}
