import Foundation
import Northbound

extension Store {
    static let clusterList = ListRequest(table: "clusters", filterColumns: [
        "tenant": "tenant", "project": "project", "name": "name", "kind": "kind",
    ], hasLabels: true)

    /// The most hosts one cluster names.
    static let maximumClusterHosts = 10_000

    /// Only admins name a cluster's hosts: which hosts a tenant's workloads run on is placement.
    public func createCluster(_ request: ClusterCreate, scope: Scope) async throws -> Committed<Cluster> {
        let name = try Validate.name(request.name)
        let labels = try Validate.labels(request.labels)
        let hosts = request.hosts?.isEmpty == false ? try Self.validatedClusterHosts(request.hosts ?? [], scope: scope) : []
        return try await write { db, revision in
            let (tenant, project) = try WriteChecks.owner(db, scope: scope, tenant: request.tenant, project: request.project)
            try WriteChecks.requireQuota(db, tenant: tenant, kind: \.clusters, table: "clusters", label: "clusters")
            try WriteChecks.requireUnique(db, table: "clusters", kind: "cluster", name: name, within: ("tenant", tenant))
            try Self.requireHostsExist(db, hosts)
            let cluster = Cluster(id: WriteChecks.newID(.cluster), tenant: tenant, project: project, name: name, kind: request.kind,
                                  hosts: hosts, labels: labels, revision: revision)
            try db.execute(sql: """
                INSERT INTO clusters (id, tenant, project, name, kind, hosts, labels, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [cluster.id, tenant, project, name, cluster.clusterKind.rawValue, Self.encodeHosts(hosts),
                                 LabelsColumn.encode(labels), revision])
            return cluster
        }
    }

    public func cluster(_ id: String, scope: Scope) async throws -> Cluster {
        try await read { db in try Self.decodeCluster(Self.visibleCluster(db, id, scope: scope)) }
    }

    public func clusters(_ query: ListQuery, scope: Scope) async throws -> Page<Cluster> {
        try await read { db in try Self.clusterList.page(db, query: query, visibility: .visible(to: scope), decode: Self.decodeCluster) }
    }

    public func updateCluster(_ id: String, _ request: ClusterUpdate, scope: Scope) async throws -> Committed<Cluster> {
        let labels = try request.labels.map { try Validate.labels($0) }
        let hosts = try request.hosts.map { try Self.validatedClusterHosts($0, scope: scope) }
        return try await write { db, revision in
            var cluster = try Self.decodeCluster(Self.visibleCluster(db, id, scope: scope))
            if let hosts {
                try Self.requireHostsExist(db, hosts)
                cluster.hosts = hosts
            }
            if let labels { cluster.labels = labels }
            cluster.revision = revision
            try db.execute(sql: "UPDATE clusters SET hosts = ?, labels = ?, revision = ? WHERE id = ?",
                                 arguments: [Self.encodeHosts(cluster.hosts), LabelsColumn.encode(cluster.labels), revision, id])
            return cluster
        }
    }

    /// A cluster that ports still name is refused (`in_use`).
    public func deleteCluster(_ id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, _ in
            _ = try Self.visibleCluster(db, id, scope: scope)
            try WriteChecks.requireUnused(db, kind: "cluster", id: id, references: [("ports", "cluster", "ports")])
            try db.execute(sql: "DELETE FROM clusters WHERE id = ?", arguments: [id])
            return id
        }
    }

    /// The hosts a request names, without duplicates. Admins only, an empty list too: taking a
    /// cluster off its hosts is placement as well.
    static func validatedClusterHosts(_ hosts: [String], scope: Scope) throws -> [String] {
        guard scope.isAdmin else { throw ModelError(.forbidden, field: "hosts", "only an admin token names a cluster's hosts") }
        guard hosts.count <= maximumClusterHosts else {
            throw ModelError(.invalidValue, field: "hosts", "a cluster names at most \(maximumClusterHosts) hosts")
        }
        var seen: Set<String> = []
        return hosts.filter { seen.insert($0).inserted }
    }

    static func requireHostsExist(_ db: any SQLConnection, _ hosts: [String]) throws {
        for host in hosts where !(try WriteChecks.exists(db, table: "hosts", id: host)) {
            throw ModelError.notFound("host", host, field: "hosts")
        }
    }

    static func visibleCluster(_ db: any SQLConnection, _ id: String, scope: Scope, field: String? = nil) throws -> SQLRow {
        try WriteChecks.visibleRow(db, table: "clusters", kind: "cluster", id: id, scope: scope, field: field)
    }

    static func encodeHosts(_ hosts: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(hosts)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decodeCluster(_ row: SQLRow) throws -> Cluster {
        Cluster(id: row["id"], tenant: row["tenant"], project: row["project"], name: row["name"],
                kind: ClusterKind(rawValue: row["kind"]) ?? .other,
                hosts: (try? JSONDecoder().decode([String].self, from: Data((row["hosts"] as String).utf8))) ?? [],
                labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }
}
