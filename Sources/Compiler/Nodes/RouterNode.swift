import Northbound
import Southbound

/// A distributed router instance: interfaces with anycast gateway MACs, and static routes.
struct RouterNode {
    let state: DesiredState
    let index: TopologyIndex

    func routerState(_ routerID: String) -> RouterState {
        let interfaces = (index.interfacesByRouter[routerID] ?? []).compactMap { id -> RouterInterfaceState? in
            guard let interface = state.interfaces[id], let logicalSwitch = state.switches[interface.switch] else { return nil }
            return RouterInterfaceState(switch: interface.switch, ip: "\(interface.ip)/\(prefixLength(logicalSwitch.cidr))",
                                        mac: Self.gatewayMAC(router: routerID, switch: interface.switch))
        }.sorted { $0.switch < $1.switch }
        let routes = (index.routesByRouter[routerID] ?? []).compactMap { state.routes[$0] }
            .map { RouteState(destination: $0.destination, nexthop: $0.nexthop) }
            .sorted { $0.destination < $1.destination }
        return RouterState(interfaces: interfaces, routes: routes)
    }

    /// The same MAC on every host for one router leg, derived so that no coordination is needed.
    /// Locally administered, unicast, and with the first octet that port MACs never get.
    static func gatewayMAC(router: String, switch switchID: String) -> String {
        MACAddress(UInt64(MACAddress.gatewayFirstOctet) << 40 | StableHash.fnv1a("gateway", router, switchID) & 0xff_ffff_ffff).description
    }
}
