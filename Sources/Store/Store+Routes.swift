import Northbound

extension Store {
    static let routeList = ListRequest(table: "routes", filterColumns: ["router": "router", "destination": "destination"], hasLabels: false)

    /// A static route's next hop must sit on one of the router's subnets (or its uplink's network), and
    /// may not be an address of the external network's pool: those are routers' uplinks and floating
    /// IPs, the doors of other tenants, never a gateway.
    public func addRoute(router routerID: String, _ request: StaticRouteCreate, scope: Scope) async throws -> Committed<StaticRoute> {
        let (destination, nexthop) = try Self.validatedRoute(request)
        return try await write { db, revision in
            let routerRow = try Self.visibleRouter(db, routerID, scope: scope)
            var connected = try db.values(String.self, sql: """
                SELECT s.cidr FROM router_interfaces i JOIN switches s ON s.id = i.switch WHERE i.router = ?
                UNION ALL SELECT s.cidr6 FROM router_interfaces i JOIN switches s ON s.id = i.switch WHERE i.router = ? AND s.cidr6 IS NOT NULL
                """, arguments: [routerID, routerID])
            if let network = routerRow["external_network"] as String? {
                connected += try db.values(String.self, sql: "SELECT cidr FROM external_networks WHERE id = ?", arguments: [network])
                try Self.requireOutsidePool(db, externalNetwork: network, nexthop: nexthop, field: "nexthop")
            }
            guard connected.contains(where: { Self.network($0, contains: nexthop) }) else {
                throw ModelError(.nexthopUnreachable, field: "nexthop", "\(nexthop) is not on any subnet attached to the router")
            }
            if try db.value(Bool.self, sql: "SELECT 1 FROM routes WHERE router = ? AND destination = ?", arguments: [routerID, destination]) != nil {
                throw ModelError(.conflict, field: "destination", "the router already has a route to \(destination)")
            }
            try WriteChecks.requireRouterQuota(db, tenant: routerRow["tenant"], router: routerID, kind: \.routesPerRouter,
                                               table: "routes", label: "routesPerRouter")
            let route = StaticRoute(id: WriteChecks.newID(.route), router: routerID, destination: destination, nexthop: nexthop, revision: revision)
            try db.execute(sql: """
                INSERT INTO routes (id, tenant, project, router, destination, nexthop, revision) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [route.id, routerRow["tenant"] as String, routerRow["project"] as String?, routerID, destination, nexthop, revision])
            try db.execute(sql: "UPDATE routers SET revision = ? WHERE id = ?", arguments: [revision, routerID])
            return route
        }
    }

    public func routes(router routerID: String, _ query: ListQuery, scope: Scope) async throws -> Page<StaticRoute> {
        try await read { db in
            _ = try Self.visibleRouter(db, routerID, scope: scope)
            var visibility = SQLFilter.visible(to: scope)
            visibility.add("router = ?", [routerID])
            return try Self.routeList.page(db, query: query, visibility: visibility, decode: Self.decodeRoute)
        }
    }

    public func deleteRoute(router routerID: String, route id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, revision in
            _ = try Self.visibleRouter(db, routerID, scope: scope)
            guard try db.value(Bool.self, sql: "SELECT 1 FROM routes WHERE id = ? AND router = ?", arguments: [id, routerID]) != nil else {
                throw ModelError.notFound("route", id)
            }
            try db.execute(sql: "DELETE FROM routes WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE routers SET revision = ? WHERE id = ?", arguments: [revision, routerID])
            return id
        }
    }

    /// Refuses a next hop in the external network's pool: those addresses are routers' uplinks and
    /// floating IPs, the doors of other tenants, never a gateway.
    static func requireOutsidePool(_ db: any SQLConnection, externalNetwork: String, nexthop: String, field: String) throws {
        guard let address = IPv4Address(nexthop),
              let pool = try db.row(sql: "SELECT pool_start, pool_end FROM external_networks WHERE id = ?", arguments: [externalNetwork])
        else { return }
        guard !((pool["pool_start"] as Int64)...(pool["pool_end"] as Int64)).contains(Int64(address.value)) else {
            throw ModelError(.nexthopForbidden, field: field,
                             "\(nexthop) is in the external network's address pool (router uplinks and floating IPs), not a gateway")
        }
    }

    /// The destination in canonical form and the next hop, both of one address family.
    static func validatedRoute(_ request: StaticRouteCreate) throws -> (String, String) {
        if let destination = IPv4Network(request.destination) {
            return (destination.description, try Validate.ipv4(request.nexthop, field: "nexthop").description)
        }
        if let destination = IPv6Network(request.destination) {
            return (destination.description, try Validate.ipv6(request.nexthop, field: "nexthop").description)
        }
        throw ModelError(.invalidCIDR, field: "destination", "'\(request.destination)' is not a prefix with zero host bits, like 10.20.0.0/16")
    }

    static func network(_ cidr: String, contains address: String) -> Bool {
        if let network = IPv4Network(cidr), let ip = IPv4Address(address) { return network.containsHost(ip) }
        if let network = IPv6Network(cidr), let ip = IPv6Address(address) { return network.contains(ip) }
        return false
    }

    static func decodeRoute(_ row: SQLRow) throws -> StaticRoute {
        StaticRoute(id: row["id"], router: row["router"], destination: row["destination"], nexthop: row["nexthop"], revision: row["revision"])
    }
}
