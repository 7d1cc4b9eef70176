import Northbound

extension Store {
    static let interfaceList = ListRequest(table: "router_interfaces", filterColumns: ["router": "router", "switch": "switch"], hasLabels: false)

    /// Attaches a router to a switch. Subnets on one router may not overlap: the router could not tell them apart.
    public func attachInterface(router routerID: String, _ request: RouterInterfaceCreate, scope: Scope) async throws -> Committed<RouterInterface> {
        let requestedIP = try request.ip.map { try Validate.ipv4($0, field: "ip") }
        return try await write { db, revision in
            let routerRow = try Self.visibleRouter(db, routerID, scope: scope)
            let switchRow = try WriteChecks.visibleRow(db, table: "switches", kind: "switch", id: request.switch, scope: scope, field: "switch")
            guard switchRow["tenant"] as String == routerRow["tenant"] as String else {
                throw ModelError.notFound("switch", request.switch, field: "switch")
            }
            try WriteChecks.requireRouterQuota(db, tenant: routerRow["tenant"], router: routerID, kind: \.interfacesPerRouter,
                                               table: "router_interfaces", label: "interfacesPerRouter")
            let network = IPv4Network(switchRow["cidr"] as String)!
            let network6 = (switchRow["cidr6"] as String?).flatMap { IPv6Network($0) }
            for attached in try db.rows(sql: """
                SELECT s.id, s.name, s.cidr, s.cidr6 FROM router_interfaces i JOIN switches s ON s.id = i.switch WHERE i.router = ?
                """, arguments: [routerID]) {
                if attached["id"] as String == request.switch {
                    throw ModelError(.conflict, field: "switch", "the router already has an interface on switch '\(request.switch)'")
                }
                let other = IPv4Network(attached["cidr"] as String)!
                let other6 = (attached["cidr6"] as String?).flatMap { IPv6Network($0) }
                if other.overlaps(network) || (network6 != nil && other6 != nil && network6!.overlaps(other6!)) {
                    throw ModelError(.cidrOverlap, field: "switch",
                                     "\(network) overlaps switch '\(attached["name"] as String)' (\(other)) already on this router")
                }
            }
            let ip = requestedIP ?? IPv4Address(switchRow["gateway"] as String)!
            guard network.containsHost(ip) else {
                throw ModelError(.ipOutOfRange, field: "ip", "\(ip) is not a host address of \(network)")
            }
            let taken = try db.value(Bool.self, sql: """
                SELECT 1 FROM ports WHERE switch = ?1 AND ip_value = ?2
                UNION ALL SELECT 1 FROM router_interfaces WHERE switch = ?1 AND ip_value = ?2
                """, arguments: [request.switch, Int64(ip.value)]) ?? false
            if taken { throw ModelError(.ipTaken, field: "ip", "\(ip) is already in use on switch '\(request.switch)'") }
            let interface = RouterInterface(id: WriteChecks.newID(.routerInterface), router: routerID, switch: request.switch,
                                            ip: ip.description, revision: revision)
            try db.execute(sql: """
                INSERT INTO router_interfaces (id, tenant, project, router, switch, ip, ip_value, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [interface.id, routerRow["tenant"] as String, routerRow["project"] as String?, routerID,
                                 request.switch, interface.ip, Int64(ip.value), revision])
            try db.execute(sql: "UPDATE routers SET revision = ? WHERE id = ?", arguments: [revision, routerID])
            return interface
        }
    }

    public func interfaces(router routerID: String, _ query: ListQuery, scope: Scope) async throws -> Page<RouterInterface> {
        try await read { db in
            _ = try Self.visibleRouter(db, routerID, scope: scope)
            var visibility = SQLFilter.visible(to: scope)
            visibility.add("router = ?", [routerID])
            return try Self.interfaceList.page(db, query: query, visibility: visibility, decode: Self.decodeInterface)
        }
    }

    public func detachInterface(router routerID: String, interface id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, revision in
            _ = try Self.visibleRouter(db, routerID, scope: scope)
            guard try db.value(Bool.self, sql: "SELECT 1 FROM router_interfaces WHERE id = ? AND router = ?", arguments: [id, routerID]) != nil else {
                throw ModelError.notFound("router interface", id)
            }
            try db.execute(sql: "DELETE FROM router_interfaces WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE routers SET revision = ? WHERE id = ?", arguments: [revision, routerID])
            return id
        }
    }

    static func decodeInterface(_ row: SQLRow) throws -> RouterInterface {
        RouterInterface(id: row["id"], router: row["router"], switch: row["switch"], ip: row["ip"], revision: row["revision"])
    }
}
