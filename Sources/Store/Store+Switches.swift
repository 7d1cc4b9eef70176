import Northbound

extension Store {
    static let switchList = ListRequest(table: "switches", filterColumns: [
        "tenant": "tenant", "project": "project", "name": "name", "vni": "vni",
    ], hasLabels: true)

    public func createSwitch(_ request: LogicalSwitchCreate, scope: Scope) async throws -> Committed<LogicalSwitch> {
        let name = try Validate.name(request.name)
        let addressing = try request.validatedAddressing()
        let labels = try Validate.labels(request.labels)
        return try await write { db, revision in
            let (tenant, project) = try WriteChecks.owner(db, scope: scope, tenant: request.tenant, project: request.project)
            try WriteChecks.requireQuota(db, tenant: tenant, kind: \.switches, table: "switches", label: "switches")
            try WriteChecks.requireUnique(db, table: "switches", kind: "switch", name: name, within: ("tenant", tenant))
            let logicalSwitch = LogicalSwitch(
                id: WriteChecks.newID(.logicalSwitch), tenant: tenant, project: project, name: name,
                cidr: addressing.network.description, gateway: addressing.gateway.description,
                cidr6: addressing.network6?.description, gateway6: addressing.gateway6?.description,
                mtu: addressing.mtu, vni: try Self.allocateVNI(db), labels: labels, revision: revision)
            try db.execute(sql: """
                INSERT INTO switches (id, tenant, project, name, cidr, gateway, cidr6, gateway6, mtu, vni, labels, revision)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [logicalSwitch.id, tenant, project, name, logicalSwitch.cidr, logicalSwitch.gateway,
                                 logicalSwitch.cidr6, logicalSwitch.gateway6, logicalSwitch.mtu, logicalSwitch.vni,
                                 LabelsColumn.encode(labels), revision])
            return logicalSwitch
        }
    }

    public func logicalSwitch(_ id: String, scope: Scope) async throws -> LogicalSwitch {
        try await read { db in
            try Self.decodeSwitch(WriteChecks.visibleRow(db, table: "switches", kind: "switch", id: id, scope: scope))
        }
    }

    public func switches(_ query: ListQuery, scope: Scope) async throws -> Page<LogicalSwitch> {
        try await read { db in try Self.switchList.page(db, query: query, visibility: .visible(to: scope), decode: Self.decodeSwitch) }
    }

    public func updateSwitch(_ id: String, _ request: LogicalSwitchUpdate, scope: Scope) async throws -> Committed<LogicalSwitch> {
        let labels = try request.labels.map { try Validate.labels($0) }
        return try await write { db, revision in
            var logicalSwitch = try Self.decodeSwitch(WriteChecks.visibleRow(db, table: "switches", kind: "switch", id: id, scope: scope))
            if let mtu = request.mtu {
                logicalSwitch.mtu = try Validate.range(mtu, (logicalSwitch.cidr6 == nil ? 576 : 1280)...9000, field: "mtu")
            }
            if let labels { logicalSwitch.labels = labels }
            logicalSwitch.revision = revision
            try db.execute(sql: "UPDATE switches SET mtu = ?, labels = ?, revision = ? WHERE id = ?",
                           arguments: [logicalSwitch.mtu, LabelsColumn.encode(logicalSwitch.labels), revision, id])
            return logicalSwitch
        }
    }

    public func deleteSwitch(_ id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, _ in
            _ = try WriteChecks.visibleRow(db, table: "switches", kind: "switch", id: id, scope: scope)
            try WriteChecks.requireUnused(db, kind: "switch", id: id, references: [
                ("ports", "switch", "ports"), ("router_interfaces", "switch", "router interfaces"),
            ])
            try db.execute(sql: "DELETE FROM switches WHERE id = ?", arguments: [id])
            return id
        }
    }

    /// The next VNI above the highest in use (by a switch or a router's transit segment), or the
    /// lowest free one once the top is taken.
    static func allocateVNI(_ db: any SQLConnection) throws -> Int {
        let highest = try db.value(Int.self, sql: """
            SELECT MAX(vni) FROM (SELECT MAX(vni) AS vni FROM switches UNION ALL SELECT MAX(transit_vni) FROM routers) AS highest
            """) ?? 0
        if highest < LogicalSwitch.vniRange.upperBound { return highest + 1 }
        let gap = try db.value(Int.self, sql: """
            SELECT vni + 1 FROM vnis_in_use WHERE vni + 1 NOT IN (SELECT vni FROM vnis_in_use) AND vni < ? ORDER BY vni LIMIT 1
            """, arguments: [LogicalSwitch.vniRange.upperBound])
        let lowestFree = try db.value(Bool.self, sql: "SELECT 1 FROM vnis_in_use WHERE vni = 1") == nil ? 1 : gap
        guard let vni = lowestFree else { throw ModelError(.poolExhausted, field: "vni", "every VNI is in use") }
        return vni
    }

    static func decodeSwitch(_ row: SQLRow) throws -> LogicalSwitch {
        LogicalSwitch(id: row["id"], tenant: row["tenant"], project: row["project"], name: row["name"], cidr: row["cidr"],
                      gateway: row["gateway"], cidr6: row["cidr6"], gateway6: row["gateway6"], mtu: row["mtu"], vni: row["vni"],
                      labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }
}
