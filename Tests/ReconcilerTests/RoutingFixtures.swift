import Agent
import Kernel
import Southbound

/// Host hv1 with a port on `sw-a` (VNI 100) and a router `rt-1` with legs on `sw-a` and `sw-b`
/// (VNI 200), a static route, and its transit segment (VNI 900) towards an edge elsewhere.
/// `edgeState` is the same host carrying the router's uplink.
enum RoutingFixtures {
    static let prefix = "syrt-"
    static let namespace = prefix + "rt-1"

    static var computeState: HostState {
        var state = Fixtures.state
        state.switches["rt-1/transit"] = SwitchState(vni: 900, mtu: 1450, cidr: "169.254.0.0/30", gateway: "169.254.0.1",
                                                     remotePorts: [RemotePort(mac: "0e:00:00:00:00:e1", ip: "169.254.0.1", vtep: "198.18.0.9")])
        state.routers["rt-1"] = RouterState(
            interfaces: [RouterInterfaceState(switch: "sw-a", ip: "10.0.0.1/24", mac: "0e:00:00:00:00:a1"),
                         RouterInterfaceState(switch: "sw-b", ip: "10.1.0.1/24", mac: "0e:00:00:00:00:b1")],
            routes: [RouteState(destination: "0.0.0.0/0", nexthop: "169.254.0.1"),
                     RouteState(destination: "192.168.7.0/24", nexthop: "10.0.0.10")],
            transit: RouterInterfaceState(switch: "rt-1/transit", ip: "169.254.0.2/30", mac: "0e:00:00:00:00:c1"))
        return state
    }

    static var edgeState: HostState {
        var state = computeState
        state.switches["rt-1/transit"]?.remotePorts = []
        state.routers["rt-1"]?.routes = [RouteState(destination: "192.168.7.0/24", nexthop: "10.0.0.10")]
        state.routers["rt-1"]?.transit = RouterInterfaceState(switch: "rt-1/transit", ip: "169.254.0.1/30", mac: "0e:00:00:00:00:e1")
        state.edgeRouters["rt-1"] = EdgeRouterState(
            externalCIDR: "203.0.113.0/24", externalGateway: "203.0.113.1", uplinkIp: "203.0.113.10", uplinkMAC: "0e:00:00:00:00:f1",
            snat: true, internalCIDRs: ["10.0.0.0/24", "10.1.0.0/24"],
            floatingIPs: [FloatingIPState(external: "203.0.113.50", internal: "10.0.0.10/24")])
        return state
    }

    /// A kernel whose `eth0` holds the underlay address, as on a real host.
    static func kernel() async throws -> FakeKernel {
        let kernel = FakeKernel(links: [Fixtures.foreign])
        try await kernel.simulateExternalChange(.addAddress(InterfaceAddress(address: Fixtures.underlay, prefixLength: 15, device: "eth0"),
                                                            namespace: nil))
        return kernel
    }

    static func reconciler(_ kernel: FakeKernel) -> Reconciler {
        Reconciler(kernel: kernel, managers: [
            SwitchManager(), FDBManager(), NeighbourManager(), RouterManager(namespacePrefix: prefix),
            EdgeManager(namespacePrefix: prefix, placement: .confirmed()), RouteManager(namespacePrefix: prefix), GatewayMACManager(),
        ])
    }
}
