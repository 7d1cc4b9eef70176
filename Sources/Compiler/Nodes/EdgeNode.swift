import Northbound
import Southbound

/// What the edge host of a router holds for its uplink: the address, SNAT, and floating IPs.
struct EdgeNode {
    let state: DesiredState
    let index: TopologyIndex
    let placement: PlacementNode

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
        return EdgeRouterState(externalCIDR: network.cidr, externalGateway: network.gateway, uplinkIp: uplink,
                               uplinkMAC: RouterNode.derivedMAC("uplink", routerID), snat: router.snat,
                               internalCIDRs: internalCIDRs, floatingIPs: floatingIPs)
    }
}
