@testable import Compiler
import Northbound
import Southbound
import Testing

/// Each router's zone: services by VIP, headless services by the service they are, ports, and the
/// resolvers of the router's external network; the incremental compiler keeps it as a full one.
@Suite struct DNSCompileTests {
    static func topology() -> Topology {
        var topology = ServiceCompileTests.topology()
        topology.state.tenants["tn-a"] = Tenant(id: "tn-a", name: "acme", quotas: .defaults, labels: [:], revision: 1)
        topology.state.projects["pj-shop"] = Project(id: "pj-shop", tenant: "tn-a", name: "shop", labels: [:], revision: 1)
        topology.state.services["sv-echo"]?.project = "pj-shop"
        topology.state.services["sv-peers"] = Service(
            id: "sv-peers", tenant: "tn-a", project: "pj-shop", name: "peers", router: "rt-1", vip: nil, type: .headless,
            ports: [ServicePort(name: "gossip", protocol: .udp, port: 7946)], selector: ServiceSelector(labels: ["app": "echo"]),
            algorithm: .random, labels: [:], revision: 1)
        return topology
    }

    @Test func theZoneNamesServicesHeadlessServicesAndPortsUnderTheTenant() throws {
        let states = compile(Self.topology().state)
        let zone = try #require(states["hs-1"]?.dns?["rt-1"])
        #expect(zone.zone == "acme.switchyard.internal")
        #expect(zone.addresses["echo.shop"] == ["10.96.0.1"])
        #expect(zone.addresses["peers.shop"] == nil, "a headless service has no VIP to name")
        #expect(zone.headless == ["peers.shop": "sv-peers"])
        #expect(zone.services["_gossip._udp.peers.shop"] == [DNSServiceTarget(port: 7946, target: "peers.shop")])
        #expect(zone.addresses["pt-e3.sw-web"] == ["10.0.0.13"])
        #expect(zone.upstreams == nil, "no external network, no resolvers")
        // The headless service still reaches its endpoints' hosts (they check them) and its
        // clients' (their servers answer with the healthy endpoints), with no VIP.
        #expect(states["hs-1"]?.services?["sv-peers"]?.vip == nil)
        #expect(states["hs-2"]?.services?["sv-peers"]?.endpoints.map(\.port) == ["pt-e3", "pt-e2"])
    }

    @Test func theResolversOfTheRoutersExternalNetworkFollowItIncrementally() throws {
        var topology = Self.topology()
        topology.host("hs-edge", "198.18.0.20", role: .edge)
        topology.externalNetwork("ex-corp", cidr: "203.0.113.0/24")
        topology.state.externalNetworks["ex-corp"]?.dnsServers = ["203.0.113.53"]
        topology.router("rt-1", tenant: "tn-a", uplink: (network: "ex-corp", ip: "203.0.113.10"))
        #expect(compile(topology.state)["hs-1"]?.dns?["rt-1"]?.upstreams == ["203.0.113.53"])

        var compiler = IncrementalCompiler(topology.state)
        var network = topology.state.externalNetworks["ex-corp"]!
        network.dnsServers = ["203.0.113.53", "203.0.113.54"]
        let changed = compiler.apply([.externalNetwork(id: "ex-corp", network)], revision: 2)
        #expect(changed["hs-1"]??.dns?["rt-1"]?.upstreams == ["203.0.113.53", "203.0.113.54"])
        #expect(compiler.hostStates == compile(compiler.state))

        // A headless service's endpoint leaving its selector leaves the zone's clients' state.
        var unlabelled = compiler.state.ports["pt-e3"]!
        unlabelled.labels = [:]
        let relabelled = compiler.apply([.port(id: "pt-e3", unlabelled)], revision: 3)
        #expect(relabelled["hs-1"]??.services?["sv-peers"]?.endpoints.map(\.port) == ["pt-e2"])
        #expect(compiler.hostStates == compile(compiler.state))
    }
}
