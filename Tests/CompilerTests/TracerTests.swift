import Compiler
import Northbound
import Testing

/// Traces walk the compiled host states: switching, routing between hosts, static routes, the
/// transit to the edge, NAT, floating IPs, and the hop that drops what the state does not carry.
@Suite struct TracerTests {
    /// Tenant a: web and db routed by rt-1 with an uplink and a floating IP on pt-c, an isolated
    /// switch without a router, an unbound port. Tenant b: the same web CIDR behind rt-2.
    static func cloud() -> DesiredState {
        var topology = Topology()
        topology.host("hs-1", "198.18.0.11")
        topology.host("hs-2", "198.18.0.12")
        topology.host("hs-e", "198.18.0.21", role: .edge)
        topology.externalNetwork("en-1", cidr: "203.0.113.0/24")
        topology.logicalSwitch("sw-web", tenant: "tn-a", cidr: "10.0.0.0/24", vni: 100)
        topology.logicalSwitch("sw-db", tenant: "tn-a", cidr: "10.1.0.0/24", vni: 101)
        topology.logicalSwitch("sw-iso", tenant: "tn-a", cidr: "10.2.0.0/24", vni: 102)
        topology.logicalSwitch("sw-b", tenant: "tn-b", cidr: "10.0.0.0/24", vni: 200)
        topology.router("rt-1", tenant: "tn-a", uplink: ("en-1", "203.0.113.10"))
        topology.interface("ri-1", router: "rt-1", on: "sw-web")
        topology.interface("ri-2", router: "rt-1", on: "sw-db")
        topology.router("rt-2", tenant: "tn-b", uplink: ("en-1", "203.0.113.11"))
        topology.interface("ri-3", router: "rt-2", on: "sw-b")
        topology.port("pt-a", on: "sw-web", host: "hs-1", ip: "10.0.0.10", mac: "02:00:00:00:00:0a")
        topology.port("pt-b", on: "sw-web", host: "hs-2", ip: "10.0.0.11", mac: "02:00:00:00:00:0b")
        topology.port("pt-c", on: "sw-db", host: "hs-2", ip: "10.1.0.10", mac: "02:00:00:00:00:0c")
        topology.port("pt-i", on: "sw-iso", host: "hs-1", ip: "10.2.0.10", mac: "02:00:00:00:00:0d")
        topology.port("pt-u", on: "sw-web", host: nil, ip: "10.0.0.12", mac: "02:00:00:00:00:0e")
        topology.port("pt-x", on: "sw-b", host: "hs-1", ip: "10.0.0.20", mac: "02:00:00:00:00:0f")
        topology.floatingIP("fip-1", network: "en-1", address: "203.0.113.50", port: "pt-c")
        topology.state.routes["rr-1"] = StaticRoute(id: "rr-1", router: "rt-1", destination: "192.168.0.0/16", nexthop: "10.0.0.11",
                                                    revision: 1)
        return topology.state
    }

    static func trace(_ from: String, _ to: TraceTarget, realized: @escaping (String) -> Bool = { _ in true }) -> Trace {
        let desired = cloud()
        var tracer = Tracer(desired: desired, hosts: IncrementalCompiler(desired).hostStates, realized: realized)
        return tracer.trace(TraceQuery(from: from, to: to))
    }

    static func address(_ text: String) -> TraceTarget { .address(IPv4Address(text)!) }

    @Test func sameSwitchAcrossHostsGoesThroughTheTunnel() {
        let trace = Self.trace("pt-a", .port("pt-b"))
        #expect(trace.verdict == .delivered)
        #expect(trace.hops.map(\.kind) == [.source, .switch, .tunnel, .destination])
        #expect(trace.hops.last?.object == "pt-b" && trace.hops.last?.host == "hs-2")
        #expect(trace.hops[2].detail.contains("198.18.0.12"), "the tunnel names the peer's VTEP: \(trace.hops[2].detail)")
    }

    @Test func routedTrafficIsRoutedOnTheSourceHost() {
        let trace = Self.trace("pt-a", .port("pt-c"))
        #expect(trace.verdict == .delivered)
        #expect(trace.hops.map(\.kind) == [.source, .router, .switch, .tunnel, .destination])
        #expect(trace.hops[1].object == "rt-1" && trace.hops[1].host == "hs-1", "the distributed instance on the source's host")
        #expect(trace.hops[2].object == "sw-db")
    }

    @Test func aSwitchWithoutARouterDropsAtItsGateway() {
        let trace = Self.trace("pt-i", .port("pt-a"))
        #expect(trace.verdict == .dropped)
        #expect(trace.reason?.contains("no router") == true, "\(trace.reason ?? "")")
        #expect(trace.hops.map(\.kind) == [.source])
    }

    @Test func anAddressNoPortHoldsIsDroppedOnItsSwitch() {
        let trace = Self.trace("pt-a", Self.address("10.0.0.99"))
        #expect(trace.verdict == .dropped)
        #expect(trace.reason?.contains("ARP goes unanswered") == true)
    }

    @Test func anUnboundSourceGoesNowhere() {
        let trace = Self.trace("pt-u", .port("pt-a"))
        #expect(trace.verdict == .dropped && trace.reason?.contains("not bound") == true)
        #expect(trace.hops.isEmpty)
    }

    @Test func aStaticRouteHandsTheTrafficToItsNextHop() {
        let trace = Self.trace("pt-a", Self.address("192.168.1.1"))
        #expect(trace.verdict == .delivered)
        #expect(trace.hops.map(\.kind) == [.source, .router, .route, .switch, .tunnel, .destination])
        #expect(trace.hops[2].object == "rr-1")
        #expect(trace.hops.last?.object == "pt-b" && trace.hops.last?.detail.contains("next hop 10.0.0.11") == true)
    }

    @Test func anotherTenantIsReachedOnlyThroughAFloatingIP() {
        let trace = Self.trace("pt-x", Self.address("203.0.113.50"))
        #expect(trace.verdict == .delivered, "\(trace.reason ?? "")")
        #expect(trace.hops.map(\.kind) == [.source, .router, .transit, .router, .nat, .uplink, .uplink, .nat, .router, .switch, .tunnel,
                                           .destination])
        #expect(trace.hops[3].host == "hs-e" && trace.hops[4].detail.contains("203.0.113.11"), "SNAT to rt-2's uplink at the edge")
        #expect(trace.hops[7].object == "fip-1" && trace.hops[7].detail.contains("10.1.0.10"))
        #expect(trace.hops.last?.object == "pt-c" && trace.hops.last?.host == "hs-2")

        let privateAddress = Self.trace("pt-x", .port("pt-c"))
        #expect(privateAddress.verdict == .dropped && privateAddress.reason?.contains("only through a floating IP") == true,
                "another tenant's port, by id, is not reached at its private address")
        let snatAddress = Self.trace("pt-x", Self.address("203.0.113.10"))
        #expect(snatAddress.verdict == .dropped && snatAddress.reason?.contains("only replies") == true)
    }

    @Test func theExternalNetworkIsReachedThroughTheEdgeWithSNAT() {
        let trace = Self.trace("pt-a", Self.address("198.51.100.7"))
        #expect(trace.verdict == .delivered)
        #expect(trace.hops.map(\.kind) == [.source, .router, .transit, .router, .nat, .uplink, .destination])
        #expect(trace.hops.last?.host == nil && trace.hops.last?.detail.contains("external gateway") == true)
        let floating = Self.trace("pt-c", Self.address("198.51.100.7"))
        #expect(floating.hops[4].object == "fip-1", "a port with a floating IP leaves with it")
    }

    @Test func eachHopSaysWhetherItsHostAckedIt() {
        let trace = Self.trace("pt-a", .port("pt-b"), realized: { $0 != "hs-2" })
        #expect(trace.hops.map(\.realized) == [true, true, true, false])
    }
}
