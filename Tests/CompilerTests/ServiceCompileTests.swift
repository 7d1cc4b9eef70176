@testable import Compiler
import Northbound
import Southbound
import Testing

/// Services reach every host running their router, with the endpoints their selector picks, and
/// the incremental compiler keeps them as a full compile would.
@Suite struct ServiceCompileTests {
    /// Router r1 on switches web and app; hs-1 holds a web client, hs-2 an app endpoint, hs-3 a web
    /// endpoint; hs-4 only a port of a switch without router.
    static func topology() -> Topology {
        var topology = Topology()
        for index in 1...4 { topology.host("hs-\(index)", "198.18.0.\(10 + index)") }
        topology.logicalSwitch("sw-web", tenant: "tn-a", cidr: "10.0.0.0/24", vni: 100)
        topology.logicalSwitch("sw-app", tenant: "tn-a", cidr: "10.1.0.0/24", vni: 200)
        topology.logicalSwitch("sw-lone", tenant: "tn-a", cidr: "10.2.0.0/24", vni: 300)
        topology.router("rt-1", tenant: "tn-a")
        topology.interface("ri-web", router: "rt-1", on: "sw-web")
        topology.interface("ri-app", router: "rt-1", on: "sw-app")
        topology.port("pt-client", on: "sw-web", host: "hs-1", ip: "10.0.0.21", mac: "02:00:00:00:00:21")
        topology.port("pt-e2", on: "sw-app", host: "hs-2", ip: "10.1.0.12", mac: "02:00:00:00:00:12")
        topology.port("pt-e3", on: "sw-web", host: "hs-3", ip: "10.0.0.13", mac: "02:00:00:00:00:13")
        topology.port("pt-lone", on: "sw-lone", host: "hs-4", ip: "10.2.0.5", mac: "02:00:00:00:00:05")
        for id in ["pt-e2", "pt-e3", "pt-lone"] { topology.state.ports[id]?.labels = ["app": "echo"] }
        topology.state.services["sv-echo"] = Service(
            id: "sv-echo", tenant: "tn-a", project: nil, name: "echo", router: "rt-1", vip: "10.96.0.1",
            ports: [ServicePort(protocol: .tcp, port: 80, targetPort: 8080), ServicePort(protocol: .udp, port: 53)],
            selector: ServiceSelector(labels: ["app": "echo"]), algorithm: .sourceHash, labels: [:], revision: 1)
        return topology
    }

    @Test func everyHostRunningTheRouterGetsTheServiceWithItsSelectedEndpoints() throws {
        let states = compile(Self.topology().state)
        let expected = ServiceState(
            vip: "10.96.0.1", router: "rt-1",
            ports: [ServicePortState(protocol: "tcp", port: 80, targetPort: 8080), ServicePortState(protocol: "udp", port: 53, targetPort: 53)],
            algorithm: .sourceHash,
            endpoints: [ServiceEndpointState(port: "pt-e3", ip: "10.0.0.13", mac: "02:00:00:00:00:13", switch: "sw-web"),
                        ServiceEndpointState(port: "pt-e2", ip: "10.1.0.12", mac: "02:00:00:00:00:12", switch: "sw-app")])
        for host in ["hs-1", "hs-2", "hs-3"] { #expect(states[host]?.services == ["sv-echo": expected], "\(host)") }
        #expect(states["hs-4"]?.services == nil, "a host without the router learns nothing of the service")
    }

    @Test func anExternalServiceReachesTheRoutersEdgeHostWithItsExternalAddress() throws {
        var topology = Self.topology()
        topology.host("hs-edge", "198.18.0.20", role: .edge)
        topology.externalNetwork("ex-corp", cidr: "203.0.113.0/24")
        topology.router("rt-1", tenant: "tn-a", uplink: (network: "ex-corp", ip: "203.0.113.10"))
        topology.state.services["sv-echo"]?.type = .external
        topology.state.services["sv-echo"]?.externalIp = "203.0.113.20"
        let states = compile(topology.state)
        let edgeHost = try #require(states.first { $0.value.edgeRouters["rt-1"] != nil }?.key)
        #expect(states[edgeHost]?.services?["sv-echo"]?.externalIp == "203.0.113.20", "the edge balances the external address")
        #expect(states[edgeHost]?.services?["sv-echo"]?.endpoints.map(\.port) == ["pt-e3", "pt-e2"])
        #expect(states["hs-1"]?.services?["sv-echo"]?.externalIp == "203.0.113.20", "clients balance it too")
    }

    @Test func aLabelChangeOrADeletionReachesEveryClientHostAsAFullCompileWould() throws {
        var topology = Self.topology()
        var compiler = IncrementalCompiler(topology.state)
        var unlabelled = topology.state.ports["pt-e3"]!
        unlabelled.labels = [:]
        var changed = compiler.apply([.port(id: "pt-e3", unlabelled)], revision: 2)
        topology.state.apply(.port(id: "pt-e3", unlabelled))
        #expect(Set(changed.keys) == ["hs-1", "hs-2", "hs-3"])
        #expect(changed["hs-1"]??.services?["sv-echo"]?.endpoints.map(\.port) == ["pt-e2"])
        #expect(compiler.hostStates == compile(compiler.state))
        // A relabelled port stays where it is: no switch state is rebuilt, and only the hosts
        // running its switch's routers (and its own) are recompiled.
        #expect(compiler.lastRecompiledHosts == 3)
        var renamed = compiler.state.ports["pt-lone"]!
        renamed.labels = [:]
        renamed.name = "lonely"
        changed = compiler.apply([.port(id: "pt-lone", renamed)], revision: 3)
        #expect(compiler.lastRecompiledHosts == 1 && Set(changed.keys) == ["hs-4"], "only its own host, whose port state names it")
        #expect(compiler.hostStates == compile(compiler.state))

        changed = compiler.apply([.service(id: "sv-echo", nil)], revision: 4)
        #expect(changed["hs-2"]??.services == nil)
        #expect(compiler.hostStates == compile(compiler.state))
    }
}
