import Compiler
import Northbound
import Testing

/// Traces to a service's address: translated where the hosts' load-balancing tables would (the
/// client's host for its VIP, the edge for its external address from outside), then routed to
/// the endpoint; only the service's ports are balanced, and failing endpoints take nothing.
@Suite struct TracerServiceTests {
    /// ``TracerTests/cloud()`` with service sv-1 on rt-1: VIP 10.96.0.10 and external address
    /// 203.0.113.60, tcp/80 to the endpoints' 8080, over the ports labelled app=db (pt-c on hs-2).
    static func cloud() -> DesiredState {
        var state = TracerTests.cloud()
        state.ports["pt-c"]?.labels = ["app": "db"]
        state.services["sv-1"] = Service(id: "sv-1", tenant: "tn-a", project: nil, name: "db", router: "rt-1", vip: "10.96.0.10",
                                         type: .external, externalIp: "203.0.113.60",
                                         ports: [ServicePort(protocol: .tcp, port: 80, targetPort: 8080)],
                                         selector: ServiceSelector(labels: ["app": "db"]), algorithm: .roundRobin, labels: [:], revision: 1)
        return state
    }

    static func trace(_ from: String, _ to: String, _ protocol: TraceProtocol = .any, port: Int? = nil,
                      unhealthy: [String: Set<String>] = [:]) -> Trace {
        let desired = cloud()
        var tracer = Tracer(desired: desired, hosts: IncrementalCompiler(desired).hostStates, unhealthy: unhealthy, realized: { _ in true })
        return tracer.trace(TraceQuery(from: from, to: .address(IPv4Address(to)!), protocol: `protocol`, port: port))
    }

    @Test func aVIPIsTranslatedOnTheClientsHostAndRoutedToAnEndpoint() {
        let trace = Self.trace("pt-a", "10.96.0.10", .tcp, port: 80)
        #expect(trace.verdict == .delivered, "\(trace.reason ?? "")")
        #expect(trace.hops.map(\.kind) == [.source, .service, .router, .switch, .tunnel, .destination])
        #expect(trace.hops[1].object == "sv-1" && trace.hops[1].host == "hs-1", "balanced on the client's host")
        #expect(trace.hops[1].detail.contains("10.1.0.10:8080") && trace.hops[1].detail.contains("round-robin"), "\(trace.hops[1].detail)")
        #expect(trace.hops[2].object == "rt-1" && trace.hops[2].host == "hs-1")
        #expect(trace.hops.last?.object == "pt-c" && trace.hops.last?.host == "hs-2")

        let withoutPort = Self.trace("pt-a", "10.96.0.10")
        #expect(withoutPort.hops.map(\.kind).contains(.service), "without a protocol and port, the service's first port stands for all")
    }

    @Test func otherTrafficToTheVIPIsRoutedAsAnyAddress() {
        for (`protocol`, port) in [(TraceProtocol.tcp, 22), (.udp, 80), (.icmp, nil)] {
            let trace = Self.trace("pt-a", "10.96.0.10", `protocol`, port: port)
            #expect(!trace.hops.map(\.kind).contains(.service), "\(`protocol`) \(port ?? 0) is not one of the service's ports")
            #expect(trace.hops.contains { $0.kind == .uplink }, "routed by the default route, out of the uplink")
        }
    }

    @Test func onlyTheRoutersOwnWorkloadsAreClients() {
        let trace = Self.trace("pt-x", "10.96.0.10", .tcp, port: 80)
        #expect(!trace.hops.contains { $0.kind == .service && $0.host == "hs-1" },
                "tenant b's port shares hs-1 with the service's clients but is not on rt-1's switches")
    }

    @Test func endpointsFailingTheirChecksTakeNothing() {
        let trace = Self.trace("pt-a", "10.96.0.10", .tcp, port: 80, unhealthy: ["sv-1": ["pt-c"]])
        #expect(trace.verdict == .dropped)
        #expect(trace.hops.last?.kind == .service)
        #expect(trace.reason?.contains("no endpoint taking connections (1 failing their health check)") == true, "\(trace.reason ?? "")")
    }

    @Test func anExternalAddressIsBalancedAtTheEdgeForTrafficFromOutside() {
        let trace = Self.trace("pt-x", "203.0.113.60", .tcp, port: 80)
        #expect(trace.verdict == .delivered, "\(trace.reason ?? "")")
        let service = trace.hops.first { $0.kind == .service }
        #expect(service?.host == "hs-e", "tenant b reaches tenant a's external service through the external network and rt-1's edge")
        #expect(trace.hops.last?.object == "pt-c")
    }
}
