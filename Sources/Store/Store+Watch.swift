import Northbound

/// What `GET /v1/watch` reads: the changes committed after a revision, in revision order, from the
/// audit trail (one row per change, with the tenant and project that scope it).
extension Store {
    /// The changes after `since` that `scope` may see, of `kinds` (all when empty), in revision
    /// order, up to about `limit` changes (never splitting a revision); `through` is the revision
    /// read up to, `more` whether changes past it were left for the next call. An object changed
    /// again later in the range is given once, at its last change (its earlier states are gone);
    /// a deleted object as deleted.
    /// - Throws: `history_pruned` when the changes after `since` were pruned (re-list instead);
    ///   `invalid_query` for a revision not reached yet.
    public func watch(since: Int64, kinds: Set<String>, scope: Scope, limit: Int = 1_000) async throws
        -> (through: Int64, more: Bool, events: [WatchEvent]) {
        try await read { db in
            let current = try db.value(Int64.self, sql: "SELECT revision FROM meta") ?? 0
            let historyStart = try db.value(Int64.self, sql: "SELECT history_start FROM meta") ?? 0
            guard since >= historyStart else {
                throw ModelError(.historyPruned, field: "since",
                                 "changes after revision \(since) are pruned (history starts at \(historyStart)): list, then watch from the list's revision")
            }
            guard since <= current else {
                throw ModelError(.invalidQuery, field: "since", "revision \(since) is not reached yet; the current revision is \(current)")
            }
            var filter = SQLFilter.auditRows(visibleTo: scope)
            if !kinds.isEmpty {
                filter.add("kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))", kinds.sorted().map { $0 as (any SQLBindable)? })
            }
            filter.add("kind != 'tokens'", [])
            filter.add("revision > ?", [since])
            // The last revision of this call: the one of the `limit`-th change, or the current one.
            let bound = try db.value(Int64.self, sql: "SELECT revision FROM audit\(filter.whereClause) ORDER BY revision LIMIT 1 OFFSET \(max(0, limit - 1))",
                                    arguments: filter.arguments, reuse: false)
            let through = bound ?? current
            filter.add("revision <= ?", [through])
            let rows = try db.rows(sql: "SELECT revision, kind, object, operation FROM audit\(filter.whereClause) ORDER BY revision, rowid",
                               arguments: filter.arguments, reuse: false)
            var events: [WatchEvent] = []
            for row in rows {
                let (revision, kind, id): (Int64, String, String) = (row["revision"], row["kind"], row["object"])
                if row["operation"] as String == "delete" {
                    events.append(WatchEvent(revision: revision, type: .deleted, kind: kind, id: id))
                    continue
                }
                // A later change of the object, or its deletion, comes as its own event.
                guard let (object, stored) = try Self.watchedObject(db, kind: kind, id: id), stored == revision else { continue }
                events.append(WatchEvent(revision: revision, type: row["operation"] as String == "create" ? .created : .updated,
                                         kind: kind, id: id, object: object))
            }
            return (through, through < current, events)
        }
    }

    /// The object `id` of collection `kind` as stored now, with its revision.
    static func watchedObject(_ db: any SQLConnection, kind: String, id: String) throws -> (any Encodable & Sendable, Int64)? {
        func one<T: Encodable & Sendable>(_ table: String, _ decode: (SQLRow) throws -> T, _ revision: KeyPath<T, Int64>) throws
            -> (any Encodable & Sendable, Int64)? {
            guard let row = try db.row(sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let value = try decode(row)
            return (value, value[keyPath: revision])
        }
        switch kind {
        case "tenants": return try one("tenants", decodeTenant, \.revision)
        case "projects": return try one("projects", decodeProject, \.revision)
        case "clusters": return try one("clusters", decodeCluster, \.revision)
        case "switches": return try one("switches", decodeSwitch, \.revision)
        case "ports": return try one("ports", decodePort, \.revision)
        case "routers": return try one("routers", decodeRouter, \.revision)
        case "router-interfaces": return try one("router_interfaces", decodeInterface, \.revision)
        case "routes": return try one("routes", decodeRoute, \.revision)
        case "floating-ips": return try one("floating_ips", decodeFloatingIP, \.revision)
        case "external-networks": return try one("external_networks", decodeExternalNetwork, \.revision)
        case "hosts": return try one("hosts", decodeHost, \.revision)
        case "policies": return try one("policies", decodePolicy, \.revision)
        case "services": return try one("services", decodeService, \.revision)
        default: return nil
        }
    }
}
