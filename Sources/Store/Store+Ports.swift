import Northbound

extension Store {
    static let portList = ListRequest(table: "ports", filterColumns: [
        "tenant": "tenant", "project": "project", "switch": "switch", "name": "name", "host": "host", "cluster": "cluster",
        "ip": "ip", "mac": "mac",
    ], hasLabels: true)

    /// Binding a port to a host is a placement decision: only admins make it (a tenant's token may
    /// create ports, which a host-side runtime or an admin then binds).
    public static func requirePlacement(_ scope: Scope) throws {
        guard scope.isAdmin else {
            throw ModelError(.forbidden, field: "host", "only an admin token binds ports to hosts")
        }
    }

    public func createPort(_ request: PortCreate, scope: Scope) async throws -> Committed<Port> {
        if request.host != nil { try Self.requirePlacement(scope) }
        let name = try Validate.name(request.name)
        let labels = try Validate.labels(request.labels)
        let mac = try request.mac.map { try Validate.mac($0) }
        let ip = try request.ip.map { try Validate.ipv4($0, field: "ip") }
        let ip6 = try request.ip6.map { try Validate.ipv6($0, field: "ip6") }
        return try await write { db, revision in
            let switchRow = try WriteChecks.visibleRow(db, table: "switches", kind: "switch", id: request.switch, scope: scope, field: "switch")
            let tenant: String = switchRow["tenant"]
            try WriteChecks.requireQuota(db, tenant: tenant, kind: \.ports, table: "ports", label: "ports")
            try WriteChecks.requireUnique(db, table: "ports", kind: "port on this switch", name: name, within: ("switch", request.switch))
            if let host = request.host, !(try WriteChecks.exists(db, table: "hosts", id: host)) {
                throw ModelError.notFound("host", host, field: "host")
            }
            if let cluster = request.cluster { try Self.requireCluster(db, cluster, tenant: tenant, scope: scope) }
            return try Self.insertPort(db, revision: revision, switchRow: switchRow, name: name, mac: mac, ip: ip, ip6: ip6,
                                       host: request.host, cluster: request.cluster, labels: labels, owner: nil)
        }
    }

    /// Allocates the port's addresses on the switch of `switchRow` and inserts it; the checks of
    /// who may create it, the quota and the name are the caller's.
    static func insertPort(_ db: any SQLConnection, revision: Int64, switchRow: SQLRow, name: String, mac: MACAddress?, ip: IPv4Address?,
                           ip6: IPv6Address?, host: String?, cluster: String?, labels: [String: String], owner: PortOwner?) throws -> Port {
        var addresses = try PortAddressing(db: db, switchRow: switchRow)
        let assignedMAC = try addresses.mac(mac)
        let assignedIP = try addresses.ipv4(ip)
        let assignedIP6 = try addresses.ipv6(ip6)
        let port = Port(
            id: WriteChecks.newID(.port), tenant: switchRow["tenant"], project: switchRow["project"], switch: switchRow["id"], name: name,
            mac: assignedMAC.description, ip: assignedIP.description, ip6: assignedIP6?.description,
            host: host, cluster: cluster, labels: labels, owner: owner, revision: revision)
        try db.execute(sql: """
            INSERT INTO ports (id, tenant, project, switch, name, mac, ip, ip_value, ip6, host, cluster, labels, revision,
                               owner_host, owner_runtime, owner_container, owner_interface)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [port.id, port.tenant, port.project, port.switch, name, port.mac, port.ip, Int64(assignedIP.value),
                             port.ip6, host, cluster, LabelsColumn.encode(labels), revision,
                             owner?.host, owner?.runtime, owner?.containerID, owner?.interface])
        try addresses.saveHints()
        return port
    }

    public func port(_ id: String, scope: Scope) async throws -> Port {
        try await read { db in try Self.decodePort(WriteChecks.visibleRow(db, table: "ports", kind: "port", id: id, scope: scope)) }
    }

    public func ports(_ query: ListQuery, scope: Scope) async throws -> Page<Port> {
        try await read { db in try Self.portList.page(db, query: query, visibility: .visible(to: scope), decode: Self.decodePort) }
    }

    /// `nulls` names the fields the request set to JSON null: `host` there unbinds the port.
    public func updatePort(_ id: String, _ request: PortUpdate, nulls: Set<String>, scope: Scope) async throws -> Committed<Port> {
        let labels = try request.labels.map { try Validate.labels($0) }
        if request.host != nil || nulls.contains("host") { try Self.requirePlacement(scope) }
        return try await write { db, revision in
            var port = try Self.decodePort(WriteChecks.visibleRow(db, table: "ports", kind: "port", id: id, scope: scope))
            if let host = request.host {
                guard try WriteChecks.exists(db, table: "hosts", id: host) else { throw ModelError.notFound("host", host, field: "host") }
                port.host = host
            } else if nulls.contains("host") {
                port.host = nil
            }
            if let cluster = request.cluster {
                try Self.requireCluster(db, cluster, tenant: port.tenant, scope: scope)
                port.cluster = cluster
            } else if nulls.contains("cluster") {
                port.cluster = nil
            }
            if let labels { port.labels = labels }
            port.revision = revision
            try db.execute(sql: "UPDATE ports SET host = ?, cluster = ?, labels = ?, revision = ? WHERE id = ?",
                           arguments: [port.host, port.cluster, LabelsColumn.encode(port.labels), revision, id])
            return port
        }
    }

    /// Deleting a port releases its addresses and dissociates any floating IP from it.
    public func deletePort(_ id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, revision in
            _ = try WriteChecks.visibleRow(db, table: "ports", kind: "port", id: id, scope: scope)
            try Self.removePort(db, id, revision: revision)
            return id
        }
    }

    /// A port's cluster must be one of the port's tenant that the caller sees.
    static func requireCluster(_ db: any SQLConnection, _ id: String, tenant: String, scope: Scope) throws {
        let row = try visibleCluster(db, id, scope: scope, field: "cluster")
        guard row["tenant"] as String == tenant else { throw ModelError.notFound("cluster", id, field: "cluster") }
    }

    static func decodePort(_ row: SQLRow) throws -> Port {
        Port(id: row["id"], tenant: row["tenant"], project: row["project"], switch: row["switch"], name: row["name"],
             mac: row["mac"], ip: row["ip"], ip6: row["ip6"], host: row["host"], cluster: row["cluster"],
             labels: LabelsColumn.decode(row["labels"]), owner: decodeOwner(row), revision: row["revision"])
    }

    static func decodeOwner(_ row: SQLRow) -> PortOwner? {
        guard let host: String = row["owner_host"] else { return nil }
        return PortOwner(host: host, runtime: row["owner_runtime"] ?? "", containerID: row["owner_container"] ?? "",
                         interface: row["owner_interface"] ?? "")
    }
}
