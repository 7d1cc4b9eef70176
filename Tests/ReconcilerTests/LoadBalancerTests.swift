import Agent
import Kernel
import Southbound
import Testing

/// The routing fixture's host with a local port on `sw-a` and a service of `rt-1` whose endpoints
/// are that port and a remote port on `sw-b`.
@Suite struct LoadBalancerTests {
    static let localPort = "pt-00000000000000a5"
    static let portDevice = "sypt-00000000a5"

    static func state(algorithm: ServiceAlgorithm = .random, vip: String = "10.96.0.10") -> HostState {
        var state = RoutingFixtures.computeState
        state.ports[localPort] = PortState(switch: "sw-a", name: "web-1", mac: "02:00:00:00:00:a5", ip: "10.0.0.5/24",
                                           gateway: "10.0.0.1", mtu: 1450)
        state.services = ["sv-web": ServiceState(
            vip: vip, router: "rt-1", ports: [ServicePortState(protocol: "tcp", port: 80, targetPort: 8080)], algorithm: algorithm,
            endpoints: [ServiceEndpointState(port: localPort, ip: "10.0.0.5", mac: "02:00:00:00:00:a5", switch: "sw-a"),
                        ServiceEndpointState(port: "pt-remote", ip: "10.1.0.7", mac: "02:00:00:00:00:07", switch: "sw-b")])]
        return state
    }

    /// A kernel holding the fixture's switches and router, and the local port's host end on its bridge.
    static func realizedKernel() async throws -> (FakeKernel, Reconciler) {
        let kernel = try await RoutingFixtures.kernel()
        #expect(await RoutingFixtures.reconciler(kernel).reconcile(RoutingFixtures.computeState).isEmpty)
        try await kernel.simulateExternalChange(.addLink(LinkSpec(name: portDevice, kind: .veth, mtu: 1450, peer: "eth-a5"), namespace: nil))
        try await kernel.simulateExternalChange(.setLink(name: portDevice, LinkChange(master: "sybr-100"), namespace: nil))
        return (kernel, Reconciler(kernel: kernel, managers: [LoadBalancerManager()]))
    }

    @Test func aServiceGetsItsTableARouteOutOfEachClientBridgeNeighboursAndHairpin() async throws {
        let (kernel, reconciler) = try await Self.realizedKernel()
        #expect(await reconciler.reconcile(Self.state()).isEmpty)

        let rules = try await kernel.rules(in: nil)
        #expect(rules == [RoutingRule(device: "sybr-100", table: 100_100, priority: 10_000),
                          RoutingRule(device: "sybr-200", table: 100_200, priority: 10_000)])
        #expect(try await kernel.routes(table: 100_100, in: nil) == [Route(destination: "0.0.0.0/0", device: "sybr-100", table: 100_100)])
        #expect(try await kernel.routes(in: nil).isEmpty, "the main table is left alone")
        #expect(Set(try await kernel.neighbours(device: "sybr-100", in: nil)) == [
            Neighbour(ip: "10.0.0.5", mac: "02:00:00:00:00:a5", device: "sybr-100"),
            Neighbour(ip: "10.1.0.7", mac: "0e:00:00:00:00:a1", device: "sybr-100"),
        ], "an endpoint on the bridge's switch is reached directly, another through the router")
        #expect(Set(try await kernel.neighbours(device: "sybr-200", in: nil)) == [
            Neighbour(ip: "10.0.0.5", mac: "0e:00:00:00:00:b1", device: "sybr-200"),
            Neighbour(ip: "10.1.0.7", mac: "02:00:00:00:00:07", device: "sybr-200"),
        ])
        #expect(try await kernel.hairpinPorts(among: [Self.portDevice], in: nil) == [Self.portDevice])
        #expect(try await kernel.sysctls(["net.ipv4.conf.sybr-100.forwarding", "net.ipv4.conf.sybr-200.forwarding",
                                          "net.bridge.bridge-nf-call-iptables"], in: nil).values.allSatisfy { $0 == "1" })
        let ruleset = try #require(await Self.lastRuleset(kernel))
        #expect(ruleset.contains("\"sybr-100\" . 10.96.0.10 . tcp . 80 : goto s_"))
        #expect(ruleset.contains("\"sybr-200\" . 10.96.0.10 . tcp . 80 : goto s_"))
        #expect(ruleset.contains("meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.0.0.5 . 8080, 1 : 10.1.0.7 . 8080 }"))
        #expect(ruleset.contains("elements = { 10.0.0.5 . 10.0.0.5 }"), "only the local endpoint can be its own client")
        #expect(ruleset.contains("\"sybr-100\" : 100"))

        let writes = await kernel.writeCount
        #expect(await reconciler.reconcile(Self.state()).isEmpty)
        #expect(await kernel.writeCount == writes, "a second pass writes nothing")
    }

    @Test func removingTheLastServiceTakesEverythingItAddedAway() async throws {
        let (kernel, reconciler) = try await Self.realizedKernel()
        #expect(await reconciler.reconcile(Self.state()).isEmpty)
        #expect(await reconciler.reconcile(RoutingFixtures.computeState).isEmpty)
        #expect(try await kernel.rules(in: nil).isEmpty)
        #expect(try await kernel.routes(table: 100_100, in: nil).isEmpty)
        #expect(try await kernel.neighbours(devices: ["sybr-100", "sybr-200"], in: nil).isEmpty)
        #expect(try await kernel.hairpinPorts(among: [Self.portDevice], in: nil).isEmpty)
        #expect(!(try await kernel.nftablesTables(in: nil)).contains { $0.name == "sy-lb" })
    }

    @Test func aHeadlessServiceIsNotBalancedAtAll() async throws {
        let (kernel, reconciler) = try await Self.realizedKernel()
        var state = Self.state()
        state.services?["sv-web"]?.vip = nil
        #expect(await reconciler.reconcile(state).isEmpty)
        #expect(try await kernel.rules(in: nil).isEmpty)
        #expect(try await kernel.neighbours(devices: ["sybr-100", "sybr-200"], in: nil).isEmpty)
        #expect(try await kernel.hairpinPorts(among: [Self.portDevice], in: nil).isEmpty)
        #expect(!(try await kernel.nftablesTables(in: nil)).contains { $0.name == "sy-lb" })
        // Beside a balanced one it adds nothing to the table.
        state.services?["sv-api"] = Self.state(vip: "10.96.0.11").services?["sv-web"]
        #expect(await reconciler.reconcile(state).isEmpty)
        let ruleset = try #require(await Self.lastRuleset(kernel))
        #expect(ruleset.contains("10.96.0.11 . tcp . 80") && !ruleset.contains("10.96.0.10"))
    }

    @Test func anEndpointThatLeavesHasItsConnectionsDeletedAfterTheTableChanged() async throws {
        let (kernel, reconciler) = try await Self.realizedKernel()
        #expect(await reconciler.reconcile(Self.state()).isEmpty)
        var fewer = Self.state()
        fewer.services?["sv-web"]?.endpoints.removeAll { $0.ip == "10.1.0.7" }
        let before = await kernel.operations.count
        #expect(await reconciler.reconcile(fewer).isEmpty)
        let written = await kernel.operations.dropFirst(before).map(\.description)
        #expect(written.last == "conntrack -D --orig-dst 10.96.0.10 --reply-src 10.1.0.7", "\(written)")
        #expect(written.dropLast().contains { $0.hasPrefix("nft -f -") }, "the table changes first: \(written)")
        let again = await kernel.operations.count
        #expect(await reconciler.reconcile(fewer).isEmpty)
        #expect(await kernel.operations.count == again)
    }

    @Test func theAlgorithmPicksTheExpressionAndNoEndpointDrops() async throws {
        for (algorithm, expression) in [(ServiceAlgorithm.roundRobin, "numgen inc mod 2"), (.sourceHash, "jhash ip saddr mod 2")] {
            let (kernel, reconciler) = try await Self.realizedKernel()
            #expect(await reconciler.reconcile(Self.state(algorithm: algorithm)).isEmpty)
            #expect(await Self.lastRuleset(kernel)?.contains(expression) == true)
        }
        var empty = Self.state()
        empty.services?["sv-web"]?.endpoints = []
        let (kernel, reconciler) = try await Self.realizedKernel()
        #expect(await reconciler.reconcile(empty).isEmpty)
        #expect(await Self.lastRuleset(kernel)?.contains("{ drop; }") == true)
        #expect(try await kernel.neighbours(devices: ["sybr-100", "sybr-200"], in: nil).isEmpty)
    }

    @Test func aVIPThatIsNotAnAddressIsRefusedAndNothingIsWritten() async throws {
        let (kernel, reconciler) = try await Self.realizedKernel()
        let writes = await kernel.writeCount
        let errors = await reconciler.reconcile(Self.state(vip: "10.96.0.10; flush ruleset"))
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("is not an IPv4 address") == true)
        #expect(await kernel.writeCount == writes)
    }

    @Test func theEdgeBalancesAnExternalServiceFromItsUplinkAndClientsBalanceItsAddressToo() async throws {
        let kernel = try await RoutingFixtures.kernel()
        let reconciler = Reconciler(kernel: kernel, managers: [
            SwitchManager(), RouterManager(namespacePrefix: RoutingFixtures.prefix),
            EdgeManager(namespacePrefix: RoutingFixtures.prefix, placement: .confirmed()), RouteManager(namespacePrefix: RoutingFixtures.prefix),
            LoadBalancerManager(namespacePrefix: RoutingFixtures.prefix),
        ])
        var state = Self.state()
        state.edgeRouters = RoutingFixtures.edgeState.edgeRouters
        state.services?["sv-web"]?.externalIp = "203.0.113.20"
        #expect(await reconciler.reconcile(state).isEmpty)

        let namespace = RoutingFixtures.namespace
        #expect(try await kernel.addresses(device: "uplink", in: namespace).contains {
            $0.address == "203.0.113.20" && $0.prefixLength == 32 }, "the uplink answers for the external address")
        let nat = try #require(await Self.lastRuleset(kernel, table: "sy-nat"))
        #expect(nat.contains("map services { type ipv4_addr . inet_proto . inet_service : verdict; elements = { 203.0.113.20 . tcp . 80 : goto x_"))
        #expect(nat.contains("iifname \"uplink\" ip daddr . meta l4proto . th dport vmap @services"))
        #expect(nat.contains("meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.0.0.5 . 8080, 1 : 10.1.0.7 . 8080 }"))
        let lb = try #require(await Self.lastRuleset(kernel))
        #expect(lb.contains("\"sybr-100\" . 203.0.113.20 . tcp . 80 : goto s_"), "the router's own clients balance it on their host")

        // An endpoint leaves: the edge's table changes, then its connections go, at the edge and on the bridges.
        var fewer = state
        fewer.services?["sv-web"]?.endpoints.removeAll { $0.ip == "10.1.0.7" }
        let before = await kernel.operations.count
        #expect(await reconciler.reconcile(fewer).isEmpty)
        let written = await kernel.operations.dropFirst(before)
        #expect(try #require(await Self.lastRuleset(kernel, table: "sy-nat")).contains("numgen random mod 1 map { 0 : 10.0.0.5 . 8080 }"))
        let deleted = written.compactMap { operation -> String? in
            guard case let .deleteConnections(filter, namespace) = operation else { return nil }
            return "\(namespace ?? "-") \(filter.originalDestination) \(filter.replySource)"
        }
        #expect(deleted == ["- 10.96.0.10 10.1.0.7", "- 203.0.113.20 10.1.0.7", "\(namespace) 203.0.113.20 10.1.0.7"], "\(deleted)")

        // The uplink moves away: the address and the edge's balancing go with it.
        var moved = fewer
        moved.edgeRouters = [:]
        #expect(await reconciler.reconcile(moved).isEmpty)
        #expect(!(try await kernel.links(in: namespace)).contains { $0.name == "uplink" })
        #expect(try await kernel.nftablesTables(in: namespace).isEmpty)
    }

    static func lastRuleset(_ kernel: FakeKernel, table name: String = "sy-lb") async -> String? {
        await kernel.operations.reversed().lazy.compactMap { operation -> String? in
            guard case let .replaceNftablesTable(table, ruleset, _) = operation, table.name == name else { return nil }
            return ruleset
        }.first
    }
}
