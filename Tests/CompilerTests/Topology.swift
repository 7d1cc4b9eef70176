import Northbound

/// Builds desired states for compiler tests with readable ids (`hs-1`, `sw-web`, …).
struct Topology {
    var state = DesiredState()

    mutating func host(_ id: String, _ address: String, role: HostRole = .compute) {
        state.hosts[id] = Host(id: id, name: id, address: address, role: role, labels: [:], revision: 1)
    }

    mutating func logicalSwitch(_ id: String, tenant: String, cidr: String, vni: Int) {
        let gateway = IPv4Address(IPv4Network(cidr)!.firstHost.value).description
        state.switches[id] = LogicalSwitch(id: id, tenant: tenant, name: id, cidr: cidr, gateway: gateway, mtu: 1450, vni: vni,
                                           labels: [:], revision: 1)
    }

    mutating func port(_ id: String, on switchID: String, host: String?, ip: String, mac: String) {
        state.ports[id] = Port(id: id, tenant: state.switches[switchID]!.tenant, switch: switchID, name: id, mac: mac, ip: ip,
                               host: host, labels: [:], revision: 1)
    }

    mutating func router(_ id: String, tenant: String, uplink: (network: String, ip: String)? = nil) {
        state.routers[id] = LogicalRouter(id: id, tenant: tenant, name: id, externalNetwork: uplink?.network, snat: true,
                                          uplinkIp: uplink?.ip, transitVni: 9000 + state.routers.count, labels: [:], revision: 1)
    }

    mutating func interface(_ id: String, router: String, on switchID: String) {
        state.interfaces[id] = RouterInterface(id: id, router: router, switch: switchID, ip: state.switches[switchID]!.gateway, revision: 1)
    }

    mutating func externalNetwork(_ id: String, cidr: String) {
        state.externalNetworks[id] = ExternalNetwork(id: id, name: id, cidr: cidr, gateway: "203.0.113.1", poolStart: "203.0.113.10",
                                                     poolEnd: "203.0.113.200", labels: [:], revision: 1)
    }

    mutating func floatingIP(_ id: String, network: String, address: String, port: String?) {
        state.floatingIPs[id] = FloatingIP(id: id, tenant: "tn-a", externalNetwork: network, address: address, port: port,
                                           labels: [:], revision: 1)
    }
}
