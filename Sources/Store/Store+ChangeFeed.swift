import Northbound

/// What the compiler reads: the whole desired state, or what changed since a revision.
extension Store {
    /// Revisions as they commit (only the newest when the reader lags).
    public func commits() -> AsyncStream<Int64> { notifier.subscribe() }

    /// Every object the compiler needs, read in one transaction at one revision.
    public func desiredState() async throws -> DesiredState {
        try await read { db in
            func all<T>(_ table: String, _ decode: (SQLRow) throws -> T, id: KeyPath<T, String>) throws -> [String: T] {
                try db.rows(sql: "SELECT * FROM \(table)").reduce(into: [:]) { result, row in
                    let value = try decode(row)
                    result[value[keyPath: id]] = value
                }
            }
            return DesiredState(
                revision: try db.value(Int64.self, sql: "SELECT revision FROM meta") ?? 0,
                hosts: try all("hosts", Self.decodeHost, id: \.id),
                switches: try all("switches", Self.decodeSwitch, id: \.id),
                ports: try all("ports", Self.decodePort, id: \.id),
                routers: try all("routers", Self.decodeRouter, id: \.id),
                interfaces: try all("router_interfaces", Self.decodeInterface, id: \.id),
                routes: try all("routes", Self.decodeRoute, id: \.id),
                externalNetworks: try all("external_networks", Self.decodeExternalNetwork, id: \.id),
                floatingIPs: try all("floating_ips", Self.decodeFloatingIP, id: \.id),
                tenants: try all("tenants", Self.decodeTenant, id: \.id),
                projects: try all("projects", Self.decodeProject, id: \.id),
                clusters: try all("clusters", Self.decodeCluster, id: \.id),
                policies: try all("policies", Self.decodePolicy, id: \.id),
                services: try all("services", Self.decodeService, id: \.id))
        }
    }

    /// The changes committed after `revision`, up to the returned revision, read in one transaction.
    /// Deletions come last: an object changed and then deleted in the range appears only as deleted.
    /// - Throws: ``StoreError/historyPruned(since:historyStart:)`` when the tombstones of that range
    ///   are gone; read ``desiredState()`` instead.
    public func changes(since revision: Int64) async throws -> (revision: Int64, changes: [DesiredChange]) {
        try await read { db in
            // One snapshot throughout: the revision read first is the one the changes add up to.
            guard let meta = try db.row(sql: "SELECT history_start, revision FROM meta") else { return (revision, []) }
            let historyStart: Int64 = meta["history_start"]
            guard revision >= historyStart else { throw StoreError.historyPruned(since: revision, historyStart: historyStart) }
            // Which tables hold changes, in one round trip; only those are read.
            let probes = (Self.changeTables.map(\.name) + ["tombstones"])
                .map { "SELECT '\($0)' AS name WHERE EXISTS (SELECT 1 FROM \($0) WHERE revision > ?)" }
            let touched = Set(try db.values(String.self, sql: probes.joined(separator: " UNION ALL "),
                                            arguments: SQLArguments(Array(repeating: revision, count: probes.count))))
            var changes: [DesiredChange] = []
            for table in Self.changeTables where touched.contains(table.name) {
                changes += try db.rows(sql: "SELECT * FROM \(table.name) WHERE revision > ?", arguments: [revision]).map(table.changed)
            }
            if touched.contains("tombstones") {
                let tables = Dictionary(uniqueKeysWithValues: Self.changeTables.map { ($0.name, $0) })
                for row in try db.rows(sql: "SELECT kind, id FROM tombstones WHERE revision > ? ORDER BY revision", arguments: [revision]) {
                    if let table = tables[row["kind"] as String] { changes.append(table.deleted(row["id"])) }
                }
            }
            return (meta["revision"], changes)
        }
    }

    /// A table of desired state, read by its `revision` column: how a row is a change, and how a
    /// tombstone of the table (`kind` is the table's name) is one.
    struct ChangeTable: Sendable {
        let name: String
        let changed: @Sendable (SQLRow) throws -> DesiredChange
        let deleted: @Sendable (String) -> DesiredChange
    }

    static let changeTables: [ChangeTable] = [
        ChangeTable(name: "hosts", changed: { let host = try decodeHost($0); return .host(id: host.id, host) }, deleted: { .host(id: $0, nil) }),
        ChangeTable(name: "tenants", changed: { let tenant = try decodeTenant($0); return .tenant(id: tenant.id, tenant) },
                    deleted: { .tenant(id: $0, nil) }),
        ChangeTable(name: "projects", changed: { let project = try decodeProject($0); return .project(id: project.id, project) },
                    deleted: { .project(id: $0, nil) }),
        ChangeTable(name: "clusters", changed: { let cluster = try decodeCluster($0); return .cluster(id: cluster.id, cluster) },
                    deleted: { .cluster(id: $0, nil) }),
        ChangeTable(name: "external_networks", changed: { let network = try decodeExternalNetwork($0); return .externalNetwork(id: network.id, network) },
                    deleted: { .externalNetwork(id: $0, nil) }),
        ChangeTable(name: "switches", changed: { let sw = try decodeSwitch($0); return .logicalSwitch(id: sw.id, sw) },
                    deleted: { .logicalSwitch(id: $0, nil) }),
        ChangeTable(name: "routers", changed: { let router = try decodeRouter($0); return .router(id: router.id, router) },
                    deleted: { .router(id: $0, nil) }),
        ChangeTable(name: "router_interfaces", changed: { let interface = try decodeInterface($0); return .interface(id: interface.id, interface) },
                    deleted: { .interface(id: $0, nil) }),
        ChangeTable(name: "routes", changed: { let route = try decodeRoute($0); return .route(id: route.id, route) }, deleted: { .route(id: $0, nil) }),
        ChangeTable(name: "ports", changed: { let port = try decodePort($0); return .port(id: port.id, port) }, deleted: { .port(id: $0, nil) }),
        ChangeTable(name: "floating_ips", changed: { let ip = try decodeFloatingIP($0); return .floatingIP(id: ip.id, ip) },
                    deleted: { .floatingIP(id: $0, nil) }),
        ChangeTable(name: "policies", changed: { let policy = try decodePolicy($0); return .policy(id: policy.id, policy) },
                    deleted: { .policy(id: $0, nil) }),
        ChangeTable(name: "services", changed: { let service = try decodeService($0); return .service(id: service.id, service) },
                    deleted: { .service(id: $0, nil) }),
    ]

    /// Deletes the tombstones and the audit trail of revisions up to `revision` and moves the
    /// history start there, so that changes do not grow the store forever. Not a mutation of desired state: no revision is
    /// spent on it.
    /// - Returns: how many tombstones went.
    @discardableResult
    public func pruneHistory(through revision: Int64) async throws -> Int {
        try await backend.write { db in
            let current = try db.value(Int64.self, sql: "SELECT history_start FROM meta") ?? 0
            guard revision > current else { return 0 }
            try db.execute(sql: "DELETE FROM tombstones WHERE revision <= ?", arguments: [revision])
            let deleted = try db.changedRows
            try db.execute(sql: "DELETE FROM audit WHERE revision <= ?", arguments: [revision])
            try db.execute(sql: "UPDATE meta SET history_start = ?", arguments: [revision])
            return deleted
        }
    }
}
