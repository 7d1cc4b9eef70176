import Northbound

extension Store {
    static let floatingIPList = ListRequest(table: "floating_ips", filterColumns: [
        "tenant": "tenant", "project": "project", "externalNetwork": "external_network", "port": "port", "address": "address",
    ], hasLabels: true)

    public func createFloatingIP(_ request: FloatingIPCreate, scope: Scope) async throws -> Committed<FloatingIP> {
        let labels = try Validate.labels(request.labels)
        let address = try request.address.map { try Validate.ipv4($0, field: "address") }
        return try await write { db, revision in
            let (tenant, project) = try WriteChecks.owner(db, scope: scope, tenant: request.tenant, project: nil)
            try WriteChecks.requireQuota(db, tenant: tenant, kind: \.floatingIps, table: "floating_ips", label: "floatingIps")
            _ = try Self.externalNetworkRow(db, request.externalNetwork, field: "externalNetwork")
            var floatingIP = FloatingIP(id: WriteChecks.newID(.floatingIP), tenant: tenant, externalNetwork: request.externalNetwork,
                                        address: "", port: nil, labels: labels, revision: revision)
            floatingIP.address = try ExternalPool.allocate(db, network: request.externalNetwork, requested: address,
                                                           owner: floatingIP.id, field: "address").description
            if let port = request.port { floatingIP.port = try Self.associablePort(db, port, tenant: tenant, scope: scope) }
            try db.execute(sql: """
                INSERT INTO floating_ips (id, tenant, project, external_network, address, port, labels, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [floatingIP.id, tenant, project, floatingIP.externalNetwork, floatingIP.address, floatingIP.port,
                                 LabelsColumn.encode(labels), revision])
            return floatingIP
        }
    }

    public func floatingIP(_ id: String, scope: Scope) async throws -> FloatingIP {
        try await read { db in
            try Self.decodeFloatingIP(WriteChecks.visibleRow(db, table: "floating_ips", kind: "floating IP", id: id, scope: scope))
        }
    }

    public func floatingIPs(_ query: ListQuery, scope: Scope) async throws -> Page<FloatingIP> {
        try await read { db in
            try Self.floatingIPList.page(db, query: query, visibility: .visible(to: scope), decode: Self.decodeFloatingIP)
        }
    }

    /// `port` associates the address with a port of the same tenant; `port: null` dissociates it.
    public func updateFloatingIP(_ id: String, _ request: FloatingIPUpdate, nulls: Set<String>, scope: Scope) async throws -> Committed<FloatingIP> {
        let labels = try request.labels.map { try Validate.labels($0) }
        return try await write { db, revision in
            var floatingIP = try Self.decodeFloatingIP(WriteChecks.visibleRow(db, table: "floating_ips", kind: "floating IP", id: id, scope: scope))
            if let port = request.port, port != floatingIP.port {
                floatingIP.port = try Self.associablePort(db, port, tenant: floatingIP.tenant, scope: scope)
            } else if request.port == nil, nulls.contains("port") {
                floatingIP.port = nil
            }
            if let labels { floatingIP.labels = labels }
            floatingIP.revision = revision
            try db.execute(sql: "UPDATE floating_ips SET port = ?, labels = ?, revision = ? WHERE id = ?",
                           arguments: [floatingIP.port, LabelsColumn.encode(floatingIP.labels), revision, id])
            return floatingIP
        }
    }

    public func deleteFloatingIP(_ id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, _ in
            _ = try WriteChecks.visibleRow(db, table: "floating_ips", kind: "floating IP", id: id, scope: scope)
            try db.execute(sql: "DELETE FROM floating_ips WHERE id = ?", arguments: [id])
            try ExternalPool.release(db, owner: id)
            return id
        }
    }

    static func associablePort(_ db: any SQLConnection, _ port: String, tenant: String, scope: Scope) throws -> String {
        let row = try WriteChecks.visibleRow(db, table: "ports", kind: "port", id: port, scope: scope, field: "port")
        guard row["tenant"] as String == tenant else { throw ModelError.notFound("port", port, field: "port") }
        if try db.value(Bool.self, sql: "SELECT 1 FROM floating_ips WHERE port = ?", arguments: [port]) != nil {
            throw ModelError(.conflict, field: "port", "port '\(port)' already has a floating IP")
        }
        return port
    }

    static func decodeFloatingIP(_ row: SQLRow) throws -> FloatingIP {
        FloatingIP(id: row["id"], tenant: row["tenant"], externalNetwork: row["external_network"], address: row["address"],
                   port: row["port"], labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }
}
