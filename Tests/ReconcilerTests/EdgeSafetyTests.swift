import Agent
import Kernel
import Southbound
import Testing

/// The edge fails closed: the guard and NAT table come before the uplink, a failure leaves no
/// uplink behind, and a restarted agent does not bring back an uplink the controller may have moved.
@Suite struct EdgeSafetyTests {
    static let namespace = RoutingFixtures.namespace

    @Test func theGuardAndNATTableAreWrittenBeforeTheUplinkExists() async throws {
        let kernel = try await RoutingFixtures.kernel()
        #expect(await RoutingFixtures.reconciler(kernel).reconcile(RoutingFixtures.edgeState).isEmpty)
        let operations = await kernel.operations
        let table = try #require(operations.firstIndex { if case .replaceNftablesTable = $0 { true } else { false } })
        let uplink = try #require(operations.firstIndex { if case .addLink(let spec, _) = $0 { spec.name.hasPrefix("syup") } else { false } })
        #expect(table < uplink)
    }

    @Test func theGuardDropsWhatArrivesOnTheUplinkUnlessNATMadeIt() throws {
        let body = try #require(NATRuleset.body(RoutingFixtures.edgeState.edgeRouters["rt-1"]!))
        #expect(body.contains("chain guard-forward { type filter hook forward priority filter; policy accept;"))
        #expect(body.contains("iifname \"uplink\" ct state established,related accept"))
        #expect(body.contains("iifname \"uplink\" ct status dnat accept"))
        #expect(body.contains("iifname \"uplink\" ip daddr 203.0.113.10 icmp type echo-request accept"))
        #expect(body.components(separatedBy: "iifname \"uplink\" drop").count == 3, "both guard chains end in a drop")
        #expect(body.components(separatedBy: "iifname \"uplink\" ip saddr @internal drop").count == 3,
                "both guard chains first drop what claims to come from the router's own subnets")
    }

    @Test func aNATTableThatCannotBeWrittenLeavesNoUplink() async throws {
        let kernel = try await RoutingFixtures.kernel()
        await kernel.failWrites { if case .replaceNftablesTable = $0 { true } else { false } }
        let errors = await RoutingFixtures.reconciler(kernel).reconcile(RoutingFixtures.edgeState)
        #expect(errors.map(\.object).contains("rt-1"))
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" } == false)
        #expect(try await kernel.links(in: nil).contains { $0.name.hasPrefix("syup") } == false)
        #expect(try await kernel.routes(in: Self.namespace).contains { $0.device == "uplink" } == false,
                "the failed router gets no later steps, its routes included")
        await kernel.stopFailing()
        #expect(await RoutingFixtures.reconciler(kernel).reconcile(RoutingFixtures.edgeState).isEmpty)
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" && $0.isUp })
    }

    @Test func anUplinkThatFailsAfterItsMoveIsDeletedWhereItIs() async throws {
        let kernel = try await RoutingFixtures.kernel()
        await kernel.failWrites { if case .addAddress(let address, _) = $0 { address.device == "uplink" } else { false } }
        let errors = await RoutingFixtures.reconciler(kernel).reconcile(RoutingFixtures.edgeState)
        #expect(errors.map(\.object).contains("rt-1"))
        #expect(errors.allSatisfy { !$0.message.contains("undoing failed") }, "\(errors)")
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" } == false)
        #expect(try await kernel.links(in: nil).contains { $0.name.hasPrefix("syup") } == false)
    }

    @Test func aRestartedAgentHoldsUplinksUntilTheControllerConfirmsPlacement() async throws {
        let kernel = try await RoutingFixtures.kernel()
        func realizer() -> KernelRealizer {
            let placement = EdgePlacement()
            return KernelRealizer(reconciler: Reconciler(kernel: kernel, managers: [
                SwitchManager(), FDBManager(), NeighbourManager(), RouterManager(namespacePrefix: RoutingFixtures.prefix),
                EdgeManager(namespacePrefix: RoutingFixtures.prefix, placement: placement), RouteManager(namespacePrefix: RoutingFixtures.prefix),
            ]), placement: placement)
        }
        // The saved state says this host carries the uplink, but the controller may have moved it.
        let restarted = realizer()
        _ = await restarted.adopt(RoutingFixtures.edgeState)
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" } == false)
        _ = await restarted.resync()
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" } == false)
        // The controller says it is here after all.
        #expect(await restarted.realize(RoutingFixtures.edgeState, revision: 7).isEmpty)
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" && $0.isUp })

        // Restarted again with a saved state that lacks the uplink: the uplink up now stays up.
        let again = realizer()
        _ = await again.adopt(RoutingFixtures.computeState)
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" && $0.isUp })
        #expect(await again.realize(RoutingFixtures.computeState, revision: 8).isEmpty)
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" } == false)
    }

    @Test func anUplinkWhoseTableIsGoneGoesDownUntilTheTableIsBack() async throws {
        let kernel = try await RoutingFixtures.kernel()
        let reconciler = RoutingFixtures.reconciler(kernel)
        #expect(await reconciler.reconcile(RoutingFixtures.edgeState).isEmpty)
        let table = try #require(try await kernel.nftablesTables(in: Self.namespace).first)
        try await kernel.simulateExternalChange(.deleteNftablesTable(table, namespace: Self.namespace))
        await kernel.failWrites { if case .replaceNftablesTable = $0 { true } else { false } }
        #expect(await reconciler.reconcile(RoutingFixtures.edgeState).map(\.object).contains("rt-1"))
        #expect(try await kernel.links(in: Self.namespace).first { $0.name == "uplink" }?.isUp == false, "no guard, no uplink up")
        await kernel.stopFailing()
        #expect(await reconciler.reconcile(RoutingFixtures.edgeState).isEmpty)
        #expect(try await kernel.links(in: Self.namespace).first { $0.name == "uplink" }?.isUp == true)
    }

    @Test func anUplinkThatLeftIsRemovedEvenWhenItsRouterFailedEarlierInThePass() async throws {
        let kernel = try await RoutingFixtures.kernel()
        let reconciler = RoutingFixtures.reconciler(kernel)
        #expect(await reconciler.reconcile(RoutingFixtures.edgeState).isEmpty)
        // The edge moves away while the router's transit leg cannot take its new address.
        await kernel.failWrites { if case .addAddress(let address, _) = $0 { address.address == "169.254.0.2" } else { false } }
        let errors = await reconciler.reconcile(RoutingFixtures.computeState)
        #expect(errors.map(\.object).contains("rt-1"))
        #expect(try await kernel.links(in: Self.namespace).contains { $0.name == "uplink" } == false,
                "a failure earlier in the pass does not keep an uplink that must close")
    }
}
