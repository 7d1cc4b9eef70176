import Agent
import Kernel
import Southbound
import Testing

/// Routers as namespaces with legs on their switches, routes, the edge's uplink and NAT, and the
/// gateway-MAC guard, against FakeKernel.
@Suite struct RoutingTests {
    @Test func aRouterGetsANamespaceWithLegsForwardingAndRoutesAndASecondPassWritesNothing() async throws {
        let kernel = try await RoutingFixtures.kernel()
        let reconciler = RoutingFixtures.reconciler(kernel)
        #expect(await reconciler.reconcile(RoutingFixtures.computeState).isEmpty)

        let namespace = RoutingFixtures.namespace
        #expect(try await kernel.namespaces().contains(namespace))
        #expect(try await kernel.sysctls(["net.ipv4.ip_forward", "net.ipv4.conf.all.rp_filter"], in: namespace)
            == ["net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "0"])
        let legs = try await kernel.links(in: namespace)
        #expect(legs.map(\.name) == ["leg-100", "leg-200", "leg-900"])
        #expect(legs.first { $0.name == "leg-100" }?.mac == "0e:00:00:00:00:a1")
        #expect(legs.allSatisfy { $0.isUp && $0.mtu > 0 })
        #expect(try await kernel.addresses(device: "leg-900", in: namespace).map(\.address) == ["169.254.0.2"])
        let hostEnds = try await kernel.links(in: nil).filter { $0.name.hasPrefix("syrl") }
        #expect(Set(hostEnds.compactMap(\.master)) == ["sybr-100", "sybr-200", "sybr-900"])
        #expect(try await kernel.routes(in: namespace).filter { $0.gateway != nil } == [
            Route(destination: "0.0.0.0/0", gateway: "169.254.0.1", device: "leg-900"),
            Route(destination: "192.168.7.0/24", gateway: "10.0.0.10", device: "leg-100"),
        ])
        let guardTable = try #require(try await kernel.nftablesTables(in: nil).first)
        #expect(guardTable.family == .bridge && guardTable.name == "sy-gateway")
        #expect(try await kernel.neighbours(device: "syvx-900", in: nil).map(\.ip) == ["169.254.0.1"], "the edge leg answers ARP locally")

        let writes = await kernel.writeCount
        #expect(await reconciler.reconcile(RoutingFixtures.computeState).isEmpty)
        #expect(await kernel.writeCount == writes)
    }

    @Test func theEdgeGetsAnUplinkWithItsAddressesBeforeItComesUpAndANATTable() async throws {
        let kernel = try await RoutingFixtures.kernel()
        let reconciler = RoutingFixtures.reconciler(kernel)
        #expect(await reconciler.reconcile(RoutingFixtures.edgeState).isEmpty)
        let namespace = RoutingFixtures.namespace

        let uplink = try #require(try await kernel.links(in: namespace).first { $0.name == "uplink" })
        #expect(uplink.kind == .macvlan(parent: "eth0") && uplink.mac == "0e:00:00:00:00:f1" && uplink.isUp)
        #expect(try await kernel.addresses(device: "uplink", in: namespace).map { "\($0.address)/\($0.prefixLength)" }
            == ["203.0.113.10/24", "203.0.113.50/32"])
        let uplinkWrites = await kernel.operations.map(\.description)
            .filter { ($0.contains("uplink") || $0.contains("syup")) && !$0.contains(" route ") }
        #expect(uplinkWrites.last == "ip -n \(namespace) link set uplink up", "addresses come first: the link-up announces them")
        #expect(uplinkWrites.contains("ip netns exec \(namespace) sysctl -w net.ipv4.conf.uplink.arp_notify=1"))
        #expect(try await kernel.routes(in: namespace).first { $0.destination == "0.0.0.0/0" }?.device == "uplink")
        #expect(try await kernel.nftablesTables(in: namespace).map(\.qualifiedName) == ["ip sy-nat"])

        let writes = await kernel.writeCount
        #expect(await reconciler.reconcile(RoutingFixtures.edgeState).isEmpty)
        #expect(await kernel.writeCount == writes)

        // The uplink moves away (failover or removal): the uplink and NAT go, the router stays.
        #expect(await reconciler.reconcile(RoutingFixtures.computeState).isEmpty)
        #expect(try await kernel.links(in: namespace).map(\.name) == ["leg-100", "leg-200", "leg-900"])
        #expect(try await kernel.nftablesTables(in: namespace).isEmpty)
        #expect(try await kernel.routes(in: namespace).first { $0.destination == "0.0.0.0/0" }?.device == "leg-900")
    }

    @Test func theNATTableTranslatesFloatingIPsBothWaysAndSNATsTheSubnets() throws {
        let body = try #require(NATRuleset.body(RoutingFixtures.edgeState.edgeRouters["rt-1"]!))
        #expect(body.contains("map floating-in { type ipv4_addr : ipv4_addr; elements = { 203.0.113.50 : 10.0.0.10 }; }"))
        #expect(body.contains("map floating-out { type ipv4_addr : ipv4_addr; elements = { 10.0.0.10 : 203.0.113.50 }; }"))
        #expect(body.contains("oifname \"uplink\" ip saddr @internal snat to 203.0.113.10"))
        var noSNAT = RoutingFixtures.edgeState.edgeRouters["rt-1"]!
        noSNAT.snat = false
        #expect(NATRuleset.body(noSNAT)?.contains("@internal snat") == false)
        noSNAT.uplinkIp = "203.0.113.10; flush ruleset"
        #expect(NATRuleset.body(noSNAT) == nil, "text that is not an address never reaches a ruleset")
    }

    @Test func aFailedLegIsReportedAgainstItsRouterAndUndoneAndTheNextPassBuildsIt() async throws {
        let kernel = try await RoutingFixtures.kernel()
        await kernel.failWrites { if case .addAddress(let address, _) = $0 { address.device == "leg-200" } else { false } }
        let errors = await RoutingFixtures.reconciler(kernel).reconcile(RoutingFixtures.computeState)
        #expect(Set(errors.map(\.object)) == ["rt-1"])
        #expect(try await kernel.links(in: nil).filter { $0.name.hasPrefix("syrl") }.isEmpty, "the legs created in the failed pass are gone")
        await kernel.stopFailing()
        #expect(await RoutingFixtures.reconciler(kernel).reconcile(RoutingFixtures.computeState).isEmpty)
        #expect(try await kernel.links(in: RoutingFixtures.namespace).count == 3)
    }

    @Test func aRouterNoLongerWantedTakesItsNamespaceAndLegsAlong() async throws {
        let kernel = try await RoutingFixtures.kernel()
        let reconciler = RoutingFixtures.reconciler(kernel)
        #expect(await reconciler.reconcile(RoutingFixtures.computeState).isEmpty)
        let errors = await reconciler.reconcile(Fixtures.state)
        #expect(errors.isEmpty, "\(errors)")
        #expect(try await kernel.namespaces().contains(RoutingFixtures.namespace) == false)
        #expect(try await kernel.links(in: nil).contains { $0.name.hasPrefix("syrl") } == false)
        #expect(try await kernel.nftablesTables(in: nil).isEmpty, "no router, no gateway-MAC guard")
    }

    @Test func aStaticRouteWhoseNextHopIsOnNoLegIsRefused() {
        var state = RoutingFixtures.computeState
        state.routers["rt-1"]?.routes.append(RouteState(destination: "10.9.0.0/16", nexthop: "172.16.0.1"))
        let plan = RouteManager.plan(desired: state, namespacePrefix: RoutingFixtures.prefix, observed: ["rt-1": []])
        #expect(plan.refusals.map(\.object) == ["rt-1"] && plan.refusals.allSatisfy { !$0.skipsSteps })
        #expect(plan.steps.map(\.operation.description) == [
            "ip -n syrt-rt-1 route replace 0.0.0.0/0 via 169.254.0.1 dev leg-900",
            "ip -n syrt-rt-1 route replace 192.168.7.0/24 via 10.0.0.10 dev leg-100",
        ], "the other routes stay")
    }

    @Test func gatewayMACsAreRewrittenOnTheWayOutAndNeverCrossTheOverlay() throws {
        let plan = GatewayMACManager.plan(desired: RoutingFixtures.computeState, observed: [])
        guard case let .replaceNftablesTable(table, ruleset, nil) = try #require(plan.steps.first?.operation) else {
            Issue.record("expected a table replace, got \(plan)")
            return
        }
        #expect(table.qualifiedName == "bridge sy-gateway")
        #expect(ruleset.contains("oifname \"syvx-*\" ether saddr 0e:00:00:00:00:a1 ether saddr set 0e:"))
        #expect(ruleset.contains("oifname \"syvx-*\" ether daddr { 0e:00:00:00:00:a1, 0e:00:00:00:00:b1 } drop"))
        #expect(!ruleset.contains("0e:00:00:00:00:c1"), "the transit leg's MAC crosses the overlay")
        #expect(GatewayMACManager.plan(desired: RoutingFixtures.computeState, observed: [table]).isEmpty)
    }
}

/// Routers verified unchanged are not read again until a full pass, unless their legs look wrong.
@Suite struct RouterVerificationTests {
    static func reconciler(_ kernel: FakeKernel, _ verification: RouterVerification) -> Reconciler {
        let prefix = RoutingFixtures.prefix
        return Reconciler(kernel: kernel, managers: [
            SwitchManager(), FDBManager(), NeighbourManager(), RouterManager(namespacePrefix: prefix, verification: verification),
            EdgeManager(namespacePrefix: prefix, verification: verification, placement: .confirmed()), RouteManager(namespacePrefix: prefix, verification: verification),
        ])
    }

    @Test func driftInsideAVerifiedRouterIsRepairedAtTheNextFullPassAndALegOffItsBridgeAtOnce() async throws {
        let kernel = try await RoutingFixtures.kernel()
        let reconciler = Self.reconciler(kernel, RouterVerification(fullEvery: 4))
        let state = RoutingFixtures.edgeState
        let route = Route(destination: "192.168.7.0/24", gateway: "10.0.0.10", device: "leg-100")
        #expect(await reconciler.reconcile(state).isEmpty) // pass 0 (full): builds
        #expect(await reconciler.reconcile(state).isEmpty) // pass 1: reads all, finds nothing to do
        try await kernel.simulateExternalChange(.deleteRoute(route, namespace: RoutingFixtures.namespace))
        let writes = await kernel.writeCount
        #expect(await reconciler.reconcile(state).isEmpty) // pass 2: the router is verified, not read
        #expect(await kernel.writeCount == writes)

        // A leg's host end off its bridge shows on the host's links, which every pass reads.
        let hostEnd = DeviceName.routerLeg(router: "rt-1", segment: "sw-a")
        try await kernel.simulateExternalChange(.setLink(name: hostEnd, LinkChange(master: .some(nil)), namespace: nil))
        #expect(await reconciler.reconcile(state).isEmpty) // pass 3: read again, both repaired
        #expect(try await kernel.links(in: nil).first { $0.name == hostEnd }?.master == "sybr-100")
        #expect(try await kernel.routes(in: RoutingFixtures.namespace).contains(route))

        try await kernel.simulateExternalChange(.deleteRoute(route, namespace: RoutingFixtures.namespace))
        #expect(await reconciler.reconcile(state).isEmpty) // pass 4 (full): repaired
        #expect(try await kernel.routes(in: RoutingFixtures.namespace).contains(route))
    }
}
