import Northbound
import Southbound

/// Which edge host carries each router's uplink, and what it holds there.
///
/// Placement is rendezvous hashing over the edge hosts: every party computes the same answer, and
/// adding or losing an edge host moves only the routers that must move.
struct EdgeNode {
    let state: DesiredState
    let index: TopologyIndex
    let placement: PlacementNode

    func edgeHost(for routerID: String) -> String? {
        guard state.routers[routerID]?.externalNetwork != nil else { return nil }
        return state.hosts.values.filter { $0.role == .edge }
            .max { StableHash.fnv1a(routerID, $0.id) < StableHash.fnv1a(routerID, $1.id) }?.id
    }

    func edgeRouterState(_ routerID: String) -> EdgeRouterState? {
        guard let router = state.routers[routerID], let networkID = router.externalNetwork,
              let network = state.externalNetworks[networkID], let uplink = router.uplinkIp else { return nil }
        let switches = placement.switches(of: routerID)
        let internalCIDRs = switches.compactMap { state.switches[$0]?.cidr }.sorted()
        let floatingIPs = switches.flatMap { index.portsBySwitch[$0] ?? [] }.compactMap { portID -> FloatingIPState? in
            guard let floatingID = index.floatingIPByPort[portID], let floatingIP = state.floatingIPs[floatingID],
                  floatingIP.externalNetwork == networkID, let port = state.ports[portID] else { return nil }
            return FloatingIPState(external: floatingIP.address, internal: port.ip)
        }.sorted { $0.external < $1.external }
        return EdgeRouterState(externalCIDR: network.cidr, externalGateway: network.gateway, uplinkIp: uplink, snat: router.snat,
                               internalCIDRs: internalCIDRs, floatingIPs: floatingIPs)
    }

    /// Routers whose uplink the host carries.
    func edgeRouters(on hostID: String) -> [String] {
        guard state.hosts[hostID]?.role == .edge else { return [] }
        return state.routers.values.filter { $0.externalNetwork != nil && edgeHost(for: $0.id) == hostID }.map(\.id)
    }
}
