import Compiler
import Northbound
import Southbound
import Testing

/// Small topologies and the exact states their hosts must get.
@Suite struct GoldenTests {
    @Test func portOnSecondHostGetsRemoteFDBEntry() {
        var topology = Topology()
        topology.host("hs-1", "198.18.0.11")
        topology.host("hs-2", "198.18.0.12")
        topology.host("hs-3", "198.18.0.13")
        topology.logicalSwitch("sw-web", tenant: "tn-a", cidr: "10.0.0.0/24", vni: 100)
        topology.port("pt-1", on: "sw-web", host: "hs-1", ip: "10.0.0.2", mac: "02:00:00:00:00:02")
        topology.port("pt-2", on: "sw-web", host: "hs-2", ip: "10.0.0.3", mac: "02:00:00:00:00:03")
        let states = compile(topology.state)

        #expect(states["hs-1"] == HostState(
            host: HostInfo(id: "hs-1", name: "hs-1", underlay: "198.18.0.11", role: "compute"),
            switches: ["sw-web": SwitchState(
                vni: 100, mtu: 1450, cidr: "10.0.0.0/24", gateway: "10.0.0.1",
                remotePorts: [RemotePort(mac: "02:00:00:00:00:03", ip: "10.0.0.3", vtep: "198.18.0.12")],
                floodList: ["198.18.0.12"])],
            // The policy group is named by the port's tenant, project, cluster and labels, alike in every process.
            ports: ["pt-1": PortState(switch: "sw-web", name: "pt-1", mac: "02:00:00:00:00:02", ip: "10.0.0.2/24",
                                      gateway: "10.0.0.1", mtu: 1450, policyGroup: "g994641feeae4882c")]))
        #expect(states["hs-2"]?.switches["sw-web"]?.remotePorts.map(\.mac) == ["02:00:00:00:00:02"])
        #expect(states["hs-3"] == HostState(host: HostInfo(id: "hs-3", name: "hs-3", underlay: "198.18.0.13", role: "compute")),
                "a host with no ports gets nothing")
    }

    @Test func routerRunsWhereverItsSwitchesHavePortsWithTheSameGateway() throws {
        var topology = Topology()
        topology.host("hs-1", "198.18.0.11")
        topology.host("hs-2", "198.18.0.12")
        topology.host("hs-3", "198.18.0.13")
        topology.logicalSwitch("sw-web", tenant: "tn-a", cidr: "10.0.0.0/24", vni: 100)
        topology.logicalSwitch("sw-db", tenant: "tn-a", cidr: "10.1.0.0/24", vni: 101)
        topology.logicalSwitch("sw-other", tenant: "tn-b", cidr: "10.0.0.0/24", vni: 200)
        topology.port("pt-web", on: "sw-web", host: "hs-1", ip: "10.0.0.2", mac: "02:00:00:00:00:02")
        topology.port("pt-db", on: "sw-db", host: "hs-2", ip: "10.1.0.2", mac: "02:00:00:00:01:02")
        topology.port("pt-b", on: "sw-other", host: "hs-3", ip: "10.0.0.2", mac: "02:00:00:00:02:02")
        topology.router("rt-1", tenant: "tn-a")
        topology.interface("ri-web", router: "rt-1", on: "sw-web")
        topology.interface("ri-db", router: "rt-1", on: "sw-db")
        let states = compile(topology.state)

        let one = try #require(states["hs-1"])
        let two = try #require(states["hs-2"])
        #expect(Set(one.switches.keys) == ["sw-web", "sw-db"], "the router brings its other switch along")
        #expect(Set(two.switches.keys) == ["sw-web", "sw-db"])
        #expect(one.routers["rt-1"] == two.routers["rt-1"], "anycast gateway: identical router state on every host")
        let legs = try #require(one.routers["rt-1"]?.interfaces)
        #expect(legs.map(\.ip) == ["10.1.0.1/24", "10.0.0.1/24"])
        #expect(legs.allSatisfy { $0.mac.hasPrefix("0e:") })
        #expect(one.switches["sw-db"]?.remotePorts.map(\.vtep) == ["198.18.0.12"])
        #expect(one.switches["sw-db"]?.floodList == ["198.18.0.12"])
        #expect(states["hs-3"]?.switches.keys.sorted() == ["sw-other"], "tenant b sees nothing of tenant a")
        #expect(states["hs-3"]?.routers.isEmpty == true)
        #expect(one.switches["sw-web"]?.remotePorts.isEmpty == true)
    }

    @Test func exactlyOneEdgeHostCarriesTheUplinkWithSNATAndFloatingIPs() throws {
        var topology = Topology()
        topology.host("hs-1", "198.18.0.11")
        topology.host("hs-e1", "198.18.0.21", role: .edge)
        topology.host("hs-e2", "198.18.0.22", role: .edge)
        topology.externalNetwork("en-corp", cidr: "203.0.113.0/24")
        topology.logicalSwitch("sw-web", tenant: "tn-a", cidr: "10.0.0.0/24", vni: 100)
        topology.port("pt-web", on: "sw-web", host: "hs-1", ip: "10.0.0.2", mac: "02:00:00:00:00:02")
        topology.router("rt-1", tenant: "tn-a", uplink: ("en-corp", "203.0.113.10"))
        topology.interface("ri-web", router: "rt-1", on: "sw-web")
        topology.floatingIP("fip-1", network: "en-corp", address: "203.0.113.11", port: "pt-web")
        let states = compile(topology.state)

        let carriers = states.filter { !$0.value.edgeRouters.isEmpty }
        #expect(carriers.count == 1)
        let edge = try #require(carriers.first?.value.edgeRouters["rt-1"])
        #expect(edge.uplinkMAC.hasPrefix("0e:"))
        #expect(edge == EdgeRouterState(externalCIDR: "203.0.113.0/24", externalGateway: "203.0.113.1", uplinkIp: "203.0.113.10",
                                        uplinkMAC: edge.uplinkMAC, snat: true, internalCIDRs: ["10.0.0.0/24"],
                                        floatingIPs: [FloatingIPState(external: "203.0.113.11", internal: "10.0.0.2")]))
        #expect(states["hs-1"]?.edgeRouters.isEmpty == true, "compute hosts never carry uplinks")
    }

    /// The edge host runs the router and its switches (the way back from the uplink goes straight onto
    /// the destination's switch); the other instances reach the edge leg over the transit segment.
    @Test func theTransitSegmentLeadsEveryInstanceToTheEdgeAndTheEdgeMovesWhenItsHostIsLost() throws {
        var topology = Topology()
        topology.host("hs-1", "198.18.0.11")
        topology.host("hs-e1", "198.18.0.21", role: .edge)
        topology.host("hs-e2", "198.18.0.22", role: .edge)
        topology.externalNetwork("en-corp", cidr: "203.0.113.0/24")
        topology.logicalSwitch("sw-web", tenant: "tn-a", cidr: "10.0.0.0/24", vni: 100)
        topology.port("pt-web", on: "sw-web", host: "hs-1", ip: "10.0.0.2", mac: "02:00:00:00:00:02")
        topology.router("rt-1", tenant: "tn-a", uplink: ("en-corp", "203.0.113.10"))
        topology.interface("ri-web", router: "rt-1", on: "sw-web")
        var states = compile(topology.state)
        let edgeID = try #require(states.first { !$0.value.edgeRouters.isEmpty }?.key)
        let vtep = try #require(topology.state.hosts[edgeID]?.address)
        let transitVNI = try #require(topology.state.routers["rt-1"]?.transitVni)

        let edge = try #require(states[edgeID])
        #expect(edge.switches.keys.sorted() == ["rt-1/transit", "sw-web"])
        #expect(edge.switches["sw-web"]?.remotePorts.map(\.vtep) == ["198.18.0.11"])
        #expect(edge.switches["rt-1/transit"]?.vni == transitVNI)
        #expect(edge.switches["rt-1/transit"]?.remotePorts.isEmpty == true)
        let edgeLeg = try #require(edge.routers["rt-1"]?.transit)
        #expect(edgeLeg.ip == "169.254.0.1/30")
        #expect(edge.routers["rt-1"]?.routes.isEmpty == true, "the edge routes out through its uplink")

        let compute = try #require(states["hs-1"])
        #expect(compute.switches["sw-web"]?.floodList == [vtep], "the edge host is on the switch's flood list")
        #expect(compute.switches["rt-1/transit"]?.remotePorts == [RemotePort(mac: edgeLeg.mac, ip: "169.254.0.1", vtep: vtep)])
        #expect(compute.routers["rt-1"]?.transit?.ip == "169.254.0.2/30")
        #expect(compute.routers["rt-1"]?.routes == [RouteState(destination: "0.0.0.0/0", nexthop: "169.254.0.1")])

        // A static route to a next hop on the external network goes through the edge from elsewhere.
        topology.state.routes["rr-1"] = StaticRoute(id: "rr-1", router: "rt-1", destination: "192.0.2.0/24", nexthop: "203.0.113.7",
                                                   revision: 1)
        let withRoute = compile(topology.state)
        #expect(withRoute["hs-1"]?.routers["rt-1"]?.routes.first { $0.destination == "192.0.2.0/24" }?.nexthop == "169.254.0.1")
        #expect(withRoute[edgeID]?.routers["rt-1"]?.routes.first { $0.destination == "192.0.2.0/24" }?.nexthop == "203.0.113.7")
        topology.state.routes["rr-1"] = nil

        topology.state.hosts[edgeID]?.available = false
        states = compile(topology.state)
        let other = edgeID == "hs-e1" ? "hs-e2" : "hs-e1"
        #expect(states[other]?.edgeRouters["rt-1"] != nil, "the uplink moved to the other edge host")
        #expect(states[edgeID]?.edgeRouters.isEmpty == true && states[edgeID]?.routers.isEmpty == true)
        #expect(states[other]?.routers["rt-1"]?.transit?.mac == edgeLeg.mac, "the edge leg keeps its MAC")
        #expect(states["hs-1"]?.switches["rt-1/transit"]?.remotePorts.map(\.vtep) == ["198.18.0.22" == vtep ? "198.18.0.21" : "198.18.0.22"])
    }
}
