import Northbound

extension Store {
    static let hostList = ListRequest(table: "hosts", filterColumns: ["name": "name", "role": "role", "address": "address"], hasLabels: true)

    public func createHost(_ request: HostCreate, scope: Scope) async throws -> Committed<Host> {
        try Self.requireAdmin(scope)
        let name = try Validate.name(request.name)
        let address = try Validate.ipv4(request.address, field: "address")
        let labels = try Validate.labels(request.labels)
        return try await write { db, revision in
            try WriteChecks.requireUnique(db, table: "hosts", kind: "host", name: name)
            try Self.requireFreeUnderlayAddress(db, address)
            let host = Host(id: WriteChecks.newID(.host), name: name, address: address.description, role: request.role ?? .compute,
                            labels: labels, revision: revision)
            try db.execute(sql: "INSERT INTO hosts (id, name, address, role, labels, revision) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [host.id, name, host.address, host.role.rawValue, LabelsColumn.encode(labels), revision])
            return host
        }
    }

    public func host(_ id: String, scope: Scope) async throws -> Host {
        try Self.requireAdmin(scope)
        return try await read { db in try Self.decodeHost(Self.hostRow(db, id)) }
    }

    public func hosts(_ query: ListQuery, scope: Scope) async throws -> Page<Host> {
        try Self.requireAdmin(scope)
        return try await read { db in try Self.hostList.page(db, query: query, visibility: SQLFilter(), decode: Self.decodeHost) }
    }

    public func updateHost(_ id: String, _ request: HostUpdate, scope: Scope) async throws -> Committed<Host> {
        try Self.requireAdmin(scope)
        let address = try request.address.map { try Validate.ipv4($0, field: "address") }
        let labels = try request.labels.map { try Validate.labels($0) }
        return try await write { db, revision in
            var host = try Self.decodeHost(Self.hostRow(db, id))
            if let address, address.description != host.address {
                try Self.requireFreeUnderlayAddress(db, address)
                host.address = address.description
            }
            if let role = request.role { host.role = role }
            if let labels { host.labels = labels }
            host.revision = revision
            try db.execute(sql: "UPDATE hosts SET address = ?, role = ?, labels = ?, revision = ? WHERE id = ?",
                           arguments: [host.address, host.role.rawValue, LabelsColumn.encode(host.labels), revision, id])
            return host
        }
    }

    /// Records that the controller lost (or regained) a host's agent, as a change with a revision of
    /// its own. For the controller's own use: no scope, nothing the API exposes as writable.
    @discardableResult
    public func setHostAvailable(_ id: String, _ available: Bool) async throws -> Committed<Host> {
        try await write { db, revision in
            var host = try Self.decodeHost(Self.hostRow(db, id))
            host.available = available
            host.revision = revision
            try db.execute(sql: "UPDATE hosts SET available = ?, revision = ? WHERE id = ?", arguments: [available, revision, id])
            return host
        }
    }

    public func deleteHost(_ id: String, scope: Scope) async throws -> Committed<String> {
        try Self.requireAdmin(scope)
        return try await write { db, _ in
            _ = try Self.hostRow(db, id)
            try WriteChecks.requireUnused(db, kind: "host", id: id, references: [("ports", "host", "bound ports")])
            let clusters = try db.value(Int.self, sql: """
                SELECT COUNT(*) FROM clusters WHERE EXISTS (SELECT 1 FROM \(db.dialect.jsonArrayElements("clusters.hosts")) WHERE value = ?)
                """, arguments: [id]) ?? 0
            if clusters > 0 {
                throw ModelError(.inUse, "host '\(id)' still runs \(clusters) clusters; take it out of them first")
            }
            try db.execute(sql: "DELETE FROM enrollment_tokens WHERE host = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM hosts WHERE id = ?", arguments: [id])
            return id
        }
    }

    static func requireFreeUnderlayAddress(_ db: any SQLConnection, _ address: IPv4Address) throws {
        if try db.value(Bool.self, sql: "SELECT 1 FROM hosts WHERE address = ?", arguments: [address.description]) != nil {
            throw ModelError(.conflict, field: "address", "another host already uses underlay address \(address)")
        }
    }

    static func hostRow(_ db: any SQLConnection, _ id: String) throws -> SQLRow {
        guard let row = try db.row(sql: "SELECT * FROM hosts WHERE id = ?", arguments: [id]) else {
            throw ModelError.notFound("host", id)
        }
        return row
    }

    static func decodeHost(_ row: SQLRow) throws -> Host {
        Host(id: row["id"], name: row["name"], address: row["address"], role: HostRole(rawValue: row["role"]) ?? .compute,
             labels: LabelsColumn.decode(row["labels"]), revision: row["revision"], available: row["available"])
    }
}
