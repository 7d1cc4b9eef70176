import Northbound
import Southbound

/// A distributed router instance: interfaces with anycast gateway MACs, static routes, and the leg
/// on the router's transit segment that leads to its edge instance.
///
/// The transit segment (its own VNI) carries traffic leaving the router's subnets from every
/// instance to the edge instance; the way back goes from the edge instance straight onto the
/// destination's switch, since the edge host runs the router's switches too. So the segment is
/// one-way in use: the edge leg answers at ``edgeTransitIP`` with one MAC per router, the other
/// instances send to it and are never addressed themselves.
struct RouterNode {
    let state: DesiredState
    let index: TopologyIndex
    let placement: PlacementNode

    /// The transit segment's subnet, inside each router's own routing domain.
    static let transitCIDR = "169.254.0.0/30"
    static let edgeTransitIP = "169.254.0.1"
    static let instanceTransitIP = "169.254.0.2"

    /// The key of a router's transit segment among a host's switches.
    static func transitSegment(of routerID: String) -> String { "\(routerID)/transit" }

    func routerState(_ routerID: String, on hostID: String) -> RouterState {
        let interfaces = (index.interfacesByRouter[routerID] ?? []).compactMap { id -> RouterInterfaceState? in
            guard let interface = state.interfaces[id], let logicalSwitch = state.switches[interface.switch] else { return nil }
            return RouterInterfaceState(switch: interface.switch, ip: "\(interface.ip)/\(prefixLength(logicalSwitch.cidr))",
                                        mac: Self.gatewayMAC(router: routerID, switch: interface.switch))
        }.sorted { $0.switch < $1.switch }
        var routes = (index.routesByRouter[routerID] ?? []).compactMap { state.routes[$0] }
            .map { RouteState(destination: $0.destination, nexthop: $0.nexthop) }
        var transit: RouterInterfaceState?
        if let edgeHost = placement.edgeHost(for: routerID) {
            let isEdge = edgeHost == hostID
            // A next hop beyond the router's subnets (on the external network) is reached through
            // the edge: the other instances send such routes to the edge leg.
            let subnets = interfaces.compactMap { state.switches[$0.switch].flatMap { IPv4Network($0.cidr) } }
            if !isEdge {
                routes = routes.map { route in
                    guard let nexthop = IPv4Address(route.nexthop), !subnets.contains(where: { $0.contains(nexthop) }) else { return route }
                    return RouteState(destination: route.destination, nexthop: Self.edgeTransitIP)
                }
            }
            transit = RouterInterfaceState(switch: Self.transitSegment(of: routerID),
                                           ip: "\(isEdge ? Self.edgeTransitIP : Self.instanceTransitIP)/30",
                                           mac: isEdge ? Self.derivedMAC("transit", routerID) : Self.derivedMAC("transit", routerID, hostID))
            if !isEdge, !routes.contains(where: { $0.destination == "0.0.0.0/0" }) {
                routes.append(RouteState(destination: "0.0.0.0/0", nexthop: Self.edgeTransitIP))
            }
        }
        return RouterState(interfaces: interfaces, routes: routes.sorted { $0.destination < $1.destination }, transit: transit)
    }

    /// The transit segment as the host sees it: on the edge host a bare segment, elsewhere one with
    /// the edge leg as its only remote end (its MAC at the edge host's VTEP, answered for ARP).
    func transitSwitch(_ routerID: String, on hostID: String) -> SwitchState? {
        guard let router = state.routers[routerID], let edgeHost = placement.edgeHost(for: routerID),
              let vtep = state.hosts[edgeHost]?.address else { return nil }
        let remote = edgeHost == hostID ? []
            : [RemotePort(mac: Self.derivedMAC("transit", routerID), ip: Self.edgeTransitIP, vtep: vtep)]
        return SwitchState(vni: router.transitVni, mtu: LogicalSwitch.defaultMTU, cidr: Self.transitCIDR, gateway: Self.edgeTransitIP,
                           remotePorts: remote)
    }

    /// The same MAC on every host for one router leg, derived so that no coordination is needed.
    /// Locally administered, unicast, and with the first octet that port MACs never get.
    static func gatewayMAC(router: String, switch switchID: String) -> String {
        derivedMAC("gateway", router, switchID)
    }

    /// A router-owned MAC derived from `parts`, in the range port MACs never use.
    static func derivedMAC(_ parts: String...) -> String {
        MACAddress(UInt64(MACAddress.gatewayFirstOctet) << 40 | StableHash.fnv1a(parts) & 0xff_ffff_ffff).description
    }
}
