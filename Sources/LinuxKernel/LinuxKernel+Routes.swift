public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// The unicast IPv4 and IPv6 routes of the main table with one next hop, including the
    /// kernel's own subnet routes. Equivalent to `ip route show table main` (and `ip -6 route …`).
    public func routes(in namespace: String?) async throws -> [Route] {
        try routes(table: nil, operation: "ip route show table main", in: namespace)
    }

    /// The unicast routes of `table` with one next hop. Equivalent to `ip route show table TABLE`.
    public func routes(table: Int, in namespace: String?) async throws -> [Route] {
        try routes(table: table, operation: "ip route show table \(table)", in: namespace)
    }

    private func routes(table: Int?, operation: String, in namespace: String?) throws -> [Route] {
        let socket = try socket(for: namespace)
        let names = try linkNames(socket: socket)
        let number = UInt32(table ?? Int(RT_TABLE_MAIN.rawValue))
        let cache = try Cache.dump(operation) { rtnl_route_alloc_cache(socket.pointer, AF_UNSPEC, 0, $0) }
        return cache.withObjects { routes in
            routes.compactMap { route in
                guard rtnl_route_get_table(route) == number,
                      rtnl_route_get_type(route) == UInt8(RTN_UNICAST),
                      rtnl_route_get_nnexthops(route) == 1,
                      let nextHop = rtnl_route_nexthop_n(route, 0),
                      let device = names[rtnl_route_nh_get_ifindex(nextHop)],
                      let destination = rtnl_route_get_dst(route)
                else { return nil }
                let prefix = "\(NetlinkAddress.ipString(destination))/\(nl_addr_get_prefixlen(destination))"
                let gateway = rtnl_route_nh_get_gateway(nextHop).map(NetlinkAddress.ipString)
                return Route(destination: prefix, gateway: gateway, device: device, table: table)
            }
        }
    }

    /// Equivalent to `ip route replace DESTINATION [via GATEWAY] dev NAME [table TABLE]` (protocol static).
    public func addRoute(_ route: Route, in namespace: String?) async throws {
        let operation = KernelOperation.addRoute(route, namespace: nil).description
        let socket = try socket(for: namespace)
        let object = try routeObject(route, socket: socket, operation: operation)
        let index = try linkIndex(named: route.device, socket: socket, for: operation)
        let nextHop = try Netlink.allocate(operation, { rtnl_route_nh_alloc() })
        rtnl_route_nh_set_ifindex(nextHop, index)
        if let gateway = route.gateway {
            do {
                let address = try NetlinkAddress.ip(gateway, operation: operation)
                address.withPointer { rtnl_route_nh_set_gateway(nextHop, $0) }
            } catch {
                rtnl_route_nh_free(nextHop)
                throw error
            }
        }
        rtnl_route_add_nexthop(object.pointer, nextHop)  // the route owns the next hop from here
        try Netlink.call(operation) { rtnl_route_add(socket.pointer, object.pointer, NLM_F_CREATE | NLM_F_REPLACE) }
    }

    /// Equivalent to `ip route del DESTINATION [table TABLE]` (any scope).
    public func deleteRoute(_ route: Route, in namespace: String?) async throws {
        let operation = KernelOperation.deleteRoute(route, namespace: nil).description
        let socket = try socket(for: namespace)
        let object = try routeObject(route, socket: socket, operation: operation)
        rtnl_route_set_scope(object.pointer, UInt8(RT_SCOPE_NOWHERE.rawValue))
        try Netlink.call(operation) { rtnl_route_delete(socket.pointer, object.pointer, 0) }
    }

    /// A route to `route.destination` in its table ("0.0.0.0/0" or "default" for the default route).
    private func routeObject(_ route: Route, socket: NetlinkSocket, operation: String) throws -> RouteObject {
        let destinationText: String
        switch route.destination {
        case "default": destinationText = route.gateway?.contains(":") == true ? "::/0" : "0.0.0.0/0"
        default: destinationText = route.destination
        }
        let destination = try NetlinkAddress.ip(destinationText, operation: operation)
        let object = try RouteObject.make()
        rtnl_route_set_table(object.pointer, UInt32(route.table ?? Int(RT_TABLE_MAIN.rawValue)))
        try Netlink.call(operation) {
            destination.withPointer { rtnl_route_set_family(object.pointer, UInt8(nl_addr_get_family($0))) }
        }
        try Netlink.call(operation) { destination.withPointer { rtnl_route_set_dst(object.pointer, $0) } }
        return object
    }
}
