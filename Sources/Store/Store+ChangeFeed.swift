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
            let historyStart = try db.value(Int64.self, sql: "SELECT history_start FROM meta") ?? 0
            guard revision >= historyStart else { throw StoreError.historyPruned(since: revision, historyStart: historyStart) }
            func changed<T>(_ table: String, _ decode: (SQLRow) throws -> T, _ make: (T) -> DesiredChange) throws -> [DesiredChange] {
                try db.rows(sql: "SELECT * FROM \(table) WHERE revision > ?", arguments: [revision])
                    .map { make(try decode($0)) }
            }
            var changes: [DesiredChange] = []
            changes += try changed("hosts", Self.decodeHost) { .host(id: $0.id, $0) }
            changes += try changed("tenants", Self.decodeTenant) { .tenant(id: $0.id, $0) }
            changes += try changed("projects", Self.decodeProject) { .project(id: $0.id, $0) }
            changes += try changed("clusters", Self.decodeCluster) { .cluster(id: $0.id, $0) }
            changes += try changed("external_networks", Self.decodeExternalNetwork) { .externalNetwork(id: $0.id, $0) }
            changes += try changed("switches", Self.decodeSwitch) { .logicalSwitch(id: $0.id, $0) }
            changes += try changed("routers", Self.decodeRouter) { .router(id: $0.id, $0) }
            changes += try changed("router_interfaces", Self.decodeInterface) { .interface(id: $0.id, $0) }
            changes += try changed("routes", Self.decodeRoute) { .route(id: $0.id, $0) }
            changes += try changed("ports", Self.decodePort) { .port(id: $0.id, $0) }
            changes += try changed("floating_ips", Self.decodeFloatingIP) { .floatingIP(id: $0.id, $0) }
            changes += try changed("policies", Self.decodePolicy) { .policy(id: $0.id, $0) }
            changes += try changed("services", Self.decodeService) { .service(id: $0.id, $0) }
            let tombstones = try db.rows(sql: "SELECT kind, id FROM tombstones WHERE revision > ? ORDER BY revision", arguments: [revision])
            for row in tombstones {
                let id: String = row["id"]
                switch row["kind"] as String {
                case "hosts": changes.append(.host(id: id, nil))
                case "switches": changes.append(.logicalSwitch(id: id, nil))
                case "ports": changes.append(.port(id: id, nil))
                case "routers": changes.append(.router(id: id, nil))
                case "router_interfaces": changes.append(.interface(id: id, nil))
                case "routes": changes.append(.route(id: id, nil))
                case "external_networks": changes.append(.externalNetwork(id: id, nil))
                case "floating_ips": changes.append(.floatingIP(id: id, nil))
                case "tenants": changes.append(.tenant(id: id, nil))
                case "projects": changes.append(.project(id: id, nil))
                case "clusters": changes.append(.cluster(id: id, nil))
                case "policies": changes.append(.policy(id: id, nil))
                case "services": changes.append(.service(id: id, nil))
                default: break
                }
            }
            return (try db.value(Int64.self, sql: "SELECT revision FROM meta") ?? revision, changes)
        }
    }

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
            let deleted = db.changedRows
            try db.execute(sql: "DELETE FROM audit WHERE revision <= ?", arguments: [revision])
            try db.execute(sql: "UPDATE meta SET history_start = ?", arguments: [revision])
            return deleted
        }
    }
}
