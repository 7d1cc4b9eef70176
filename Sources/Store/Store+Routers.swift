import Northbound

extension Store {
    static let routerList = ListRequest(table: "routers", filterColumns: [
        "tenant": "tenant", "project": "project", "name": "name", "externalNetwork": "external_network",
    ], hasLabels: true)

    public func createRouter(_ request: RouterCreate, scope: Scope) async throws -> Committed<LogicalRouter> {
        let name = try Validate.name(request.name)
        let labels = try Validate.labels(request.labels)
        return try await write { db, revision in
            let (tenant, project) = try WriteChecks.owner(db, scope: scope, tenant: request.tenant, project: request.project)
            try WriteChecks.requireQuota(db, tenant: tenant, kind: \.routers, table: "routers", label: "routers")
            try WriteChecks.requireUnique(db, table: "routers", kind: "router", name: name, within: ("tenant", tenant))
            var router = LogicalRouter(id: WriteChecks.newID(.router), tenant: tenant, project: project, name: name, externalNetwork: nil,
                                       snat: request.snat ?? true, uplinkIp: nil, transitVni: try Self.allocateVNI(db), labels: labels,
                                       revision: revision)
            if let network = request.externalNetwork {
                router.externalNetwork = network
                router.uplinkIp = try ExternalPool.allocate(db, network: network, requested: nil, owner: router.id, field: "externalNetwork").description
            }
            try db.execute(sql: """
                INSERT INTO routers (id, tenant, project, name, external_network, snat, uplink_ip, transit_vni, labels, revision)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [router.id, tenant, project, name, router.externalNetwork, router.snat, router.uplinkIp,
                                 router.transitVni, LabelsColumn.encode(labels), revision])
            return router
        }
    }

    public func router(_ id: String, scope: Scope) async throws -> LogicalRouter {
        try await read { db in try Self.decodeRouter(Self.visibleRouter(db, id, scope: scope)) }
    }

    public func routers(_ query: ListQuery, scope: Scope) async throws -> Page<LogicalRouter> {
        try await read { db in try Self.routerList.page(db, query: query, visibility: .visible(to: scope), decode: Self.decodeRouter) }
    }

    /// Setting `externalNetwork` moves the uplink (a new address from that pool); `externalNetwork: null` removes it.
    /// Neither while the router has external services: their addresses are of the network it has.
    public func updateRouter(_ id: String, _ request: RouterUpdate, nulls: Set<String>, scope: Scope) async throws -> Committed<LogicalRouter> {
        let labels = try request.labels.map { try Validate.labels($0) }
        return try await write { db, revision in
            var router = try Self.decodeRouter(Self.visibleRouter(db, id, scope: scope))
            let movesUplink = request.externalNetwork.map { $0 != router.externalNetwork } ?? (nulls.contains("externalNetwork") && router.externalNetwork != nil)
            if movesUplink {
                let external = try db.value(Int.self, sql: "SELECT COUNT(*) FROM services WHERE router = ? AND type = 'external'", arguments: [id]) ?? 0
                if external > 0 {
                    throw ModelError(.inUse, field: "externalNetwork",
                                     "router '\(id)' still has \(external) external services on its external network; delete them first")
                }
            }
            if let network = request.externalNetwork, network != router.externalNetwork {
                for nexthop in try db.values(String.self, sql: "SELECT nexthop FROM routes WHERE router = ?", arguments: [id]) {
                    try Self.requireOutsidePool(db, externalNetwork: network, nexthop: nexthop, field: "externalNetwork")
                }
                try ExternalPool.release(db, owner: id)
                router.externalNetwork = network
                router.uplinkIp = try ExternalPool.allocate(db, network: network, requested: nil, owner: id, field: "externalNetwork").description
            } else if request.externalNetwork == nil, nulls.contains("externalNetwork") {
                try ExternalPool.release(db, owner: id)
                router.externalNetwork = nil
                router.uplinkIp = nil
            }
            if let snat = request.snat { router.snat = snat }
            if let labels { router.labels = labels }
            router.revision = revision
            try db.execute(sql: "UPDATE routers SET external_network = ?, snat = ?, uplink_ip = ?, labels = ?, revision = ? WHERE id = ?",
                           arguments: [router.externalNetwork, router.snat, router.uplinkIp, LabelsColumn.encode(router.labels), revision, id])
            return router
        }
    }

    /// A router with interfaces is refused (detach them first); its static routes and uplink go with it.
    public func deleteRouter(_ id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, _ in
            _ = try Self.visibleRouter(db, id, scope: scope)
            try WriteChecks.requireUnused(db, kind: "router", id: id, references: [("router_interfaces", "router", "interfaces"), ("services", "router", "services")])
            try db.execute(sql: "DELETE FROM routes WHERE router = ?", arguments: [id])
            try ExternalPool.release(db, owner: id)
            try db.execute(sql: "DELETE FROM routers WHERE id = ?", arguments: [id])
            return id
        }
    }

    static func visibleRouter(_ db: any SQLConnection, _ id: String, scope: Scope, field: String? = nil) throws -> SQLRow {
        try WriteChecks.visibleRow(db, table: "routers", kind: "router", id: id, scope: scope, field: field)
    }

    static func decodeRouter(_ row: SQLRow) throws -> LogicalRouter {
        LogicalRouter(id: row["id"], tenant: row["tenant"], project: row["project"], name: row["name"],
               externalNetwork: row["external_network"], snat: row["snat"], uplinkIp: row["uplink_ip"],
               transitVni: row["transit_vni"], labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }
}
