@testable import Controller
import Northbound
import Southbound
import Testing

/// Endpoint health through the hub: reports from endpoints' hosts reach every client host as
/// whole sets, with no revision spent.
@Suite struct ServiceHealthTests {
    /// hs-1 holds a client and endpoint pt-a, hs-2 endpoint pt-b, on router rt-1's switch.
    static func desired() -> DesiredState {
        var state = DesiredState(revision: 5)
        for index in 1...2 {
            state.hosts["hs-\(index)"] = Host(id: "hs-\(index)", name: "hv\(index)", address: "198.18.0.1\(index)", role: .compute,
                                            labels: [:], revision: 1)
        }
        state.switches["sw-1"] = LogicalSwitch(id: "sw-1", tenant: "tn-1", name: "web", cidr: "10.0.0.0/24", gateway: "10.0.0.1", mtu: 1450,
                                               vni: 100, labels: [:], revision: 1)
        state.routers["rt-1"] = LogicalRouter(id: "rt-1", tenant: "tn-1", name: "r1", externalNetwork: nil, snat: true, uplinkIp: nil,
                                              transitVni: 9000, labels: [:], revision: 1)
        state.interfaces["ri-1"] = RouterInterface(id: "ri-1", router: "rt-1", switch: "sw-1", ip: "10.0.0.1", revision: 1)
        for (id, host, ip) in [("pt-a", "hs-1", "10.0.0.5"), ("pt-b", "hs-2", "10.0.0.6")] {
            state.ports[id] = Port(id: id, tenant: "tn-1", switch: "sw-1", name: id, mac: "02:00:00:00:00:0\(ip.suffix(1))", ip: ip, host: host,
                                   labels: ["app": "web"], revision: 1)
        }
        state.services["sv-1"] = Service(id: "sv-1", tenant: "tn-1", project: nil, name: "web", router: "rt-1", vip: "10.96.0.1",
                                         ports: [ServicePort(protocol: .tcp, port: 80)], selector: ServiceSelector(labels: ["app": "web"]),
                                         algorithm: .random, healthCheck: HealthCheck(type: .tcp), labels: [:], revision: 5)
        return state
    }

    static func verdict(_ port: String, _ healthy: Bool) -> EndpointHealth {
        EndpointHealth(service: "sv-1", port: port, healthy: healthy, checkedAt: 1, output: healthy ? "connected" : "refused")
    }

    @Test func aFailingEndpointReachesEveryClientHostAsAWholeSetWithoutARevision() async {
        let hub = SouthboundHub(Self.desired())
        let (session, _) = await hub.attach(host: "hs-1", appliedRevision: 0)
        guard case .snapshot? = await hub.nextMessage(host: "hs-1", session: session) else {
            Issue.record("no snapshot first")
            return
        }
        #expect(await hub.nextMessage(host: "hs-1", session: session) == .serviceHealth(ServiceHealth(unhealthy: [:])),
                "a session of a host with services starts from a known health")
        #expect(await hub.nextMessage(host: "hs-1", session: session) == nil)

        await hub.reportHealth(host: "hs-2", report: EndpointHealthReport(complete: true, endpoints: [Self.verdict("pt-b", false)]))
        #expect(await hub.nextMessage(host: "hs-1", session: session) == .serviceHealth(ServiceHealth(unhealthy: ["sv-1": ["pt-b"]])))
        #expect(await hub.revision == 5)
        await hub.reportHealth(host: "hs-2", report: EndpointHealthReport(complete: false, endpoints: [Self.verdict("pt-b", false)]))
        #expect(await hub.nextMessage(host: "hs-1", session: session) == nil, "a verdict that changes nothing sends nothing")
        #expect(await hub.endpointHealth(ofService: "sv-1")["pt-b"]?.output == "refused")

        // hs-1 cannot speak for hs-2's endpoint.
        await hub.reportHealth(host: "hs-1", report: EndpointHealthReport(complete: false, endpoints: [Self.verdict("pt-b", true)]))
        #expect(await hub.nextMessage(host: "hs-1", session: session) == nil, "another host's verdict is dropped")
        #expect(await hub.endpointHealth(ofService: "sv-1")["pt-b"]?.healthy == false)

        // A host that reconnects with a complete report no longer listing pt-b: back in.
        await hub.reportHealth(host: "hs-2", report: EndpointHealthReport(complete: true, endpoints: []))
        #expect(await hub.nextMessage(host: "hs-1", session: session) == .serviceHealth(ServiceHealth(unhealthy: [:])))
    }

    @Test func theBookCountsOnlyChangesOfHealth() {
        var book = HealthBook()
        #expect(book.record(EndpointHealthReport(complete: false, endpoints: [Self.verdict("pt-a", true)]), from: "hs-1").isEmpty)
        #expect(book.record(EndpointHealthReport(complete: false, endpoints: [Self.verdict("pt-a", false)]), from: "hs-1") == ["sv-1"])
        #expect(book.unhealthy(of: ["sv-1", "sv-2"]) == ["sv-1": ["pt-a"]])
        #expect(book.record(EndpointHealthReport(complete: true, endpoints: []), from: "hs-2").isEmpty, "another host's report leaves hs-1's")
        #expect(book.record(EndpointHealthReport(complete: true, endpoints: []), from: "hs-1") == ["sv-1"])
        #expect(book.unhealthy(of: ["sv-1"]).isEmpty)
    }
}
