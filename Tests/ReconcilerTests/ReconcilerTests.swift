import Agent
import Kernel
import Southbound
import Testing

@Suite struct ReconcilerTests {
    @Test func reconcilingTwiceWritesNothingTheSecondTime() async throws {
        let kernel = FakeKernel(links: [Fixtures.foreign])
        let reconciler = Reconciler(kernel: kernel)
        #expect(await reconciler.reconcile(Fixtures.state).isEmpty)
        let links = try await kernel.links(in: nil).map { link in
            var link = link
            link.mac = ""
            link.index = 0
            return link
        }
        #expect(links == Fixtures.realizedLinks.sorted { $0.name < $1.name })
        #expect(try await kernel.fdbEntries(device: "syvx-100") == Fixtures.realizedFDB)
        let firstPass = await kernel.writeCount
        #expect(try await kernel.neighbours(device: "syvx-100", in: nil) == Fixtures.realizedNeighbours)
        #expect(firstPass == 14)

        #expect(await reconciler.reconcile(Fixtures.state).isEmpty)
        #expect(await kernel.writeCount == firstPass)
    }

    @Test func failedVXLANRemovesItsBridgeReportsTheSwitchAndSparesTheOthers() async throws {
        let kernel = FakeKernel(links: [Fixtures.foreign])
        await kernel.failWrites { if case .addLink(let spec, _) = $0 { spec.name == "syvx-100" } else { false } }
        let reconciler = Reconciler(kernel: kernel)

        let errors = await reconciler.reconcile(Fixtures.state)
        #expect(errors.map(\.object) == ["sw-a"])
        #expect(errors.first?.message.hasPrefix("ip link add syvx-100") == true)
        #expect(try await kernel.links(in: nil).map(\.name) == ["eth0", "sybr-200", "syvx-200"])
        #expect(await kernel.operations.prefix(4).map(\.description) == [
            "ip link add sybr-100 mtu 1450 type bridge",
            "ip link set sybr-100 up",
            "ip link add syvx-100 mtu 1450 type vxlan id 100 local 198.18.0.1 dstport 4789 nolearning proxy",
            "ip link del sybr-100",
        ])

        await kernel.stopFailing()
        #expect(await reconciler.reconcile(Fixtures.state).isEmpty)
        #expect(try await kernel.links(in: nil).map(\.name) == ["eth0", "sybr-100", "sybr-200", "syvx-100", "syvx-200"])
        #expect(try await kernel.fdbEntries(device: "syvx-100") == Fixtures.realizedFDB)
    }

    @Test func driftIsRepairedWithTheFewestWrites() async throws {
        let kernel = FakeKernel(links: [Fixtures.foreign])
        let reconciler = Reconciler(kernel: kernel)
        _ = await reconciler.reconcile(Fixtures.state)
        try await kernel.simulateExternalChange(.deleteFDBEntry(Fixtures.realizedFDB[0]))
        try await kernel.simulateExternalChange(.setLink(name: "syvx-200", LinkChange(master: .some(nil)), namespace: nil))
        let before = await kernel.writeCount

        #expect(await reconciler.reconcile(Fixtures.state).isEmpty)
        #expect(await kernel.operations.dropFirst(before) == [
            .setLink(name: "syvx-200", LinkChange(master: "sybr-200"), namespace: nil),
            .addFDBEntry(Fixtures.realizedFDB[0]),
        ])
    }

    @Test func aRemovedSwitchLosesItsDevicesAndNothingElse() async throws {
        let kernel = FakeKernel(links: [Fixtures.foreign])
        let reconciler = Reconciler(kernel: kernel)
        _ = await reconciler.reconcile(Fixtures.state)
        var state = Fixtures.state
        state.switches["sw-a"] = nil

        #expect(await reconciler.reconcile(state).isEmpty)
        #expect(try await kernel.links(in: nil).map(\.name) == ["eth0", "sybr-200", "syvx-200"])
    }

    /// A state from the controller that changes only policies runs only the policy manager (drift
    /// elsewhere waits for the resync, which runs every manager); any other change runs them all.
    @Test func aChangeOfPoliciesAloneRunsOnlyThePolicyManager() async throws {
        let kernel = FakeKernel()
        let reconciler = Reconciler(kernel: kernel, managers: [SwitchManager(), PolicyManager()])
        #expect(await reconciler.reconcile(PolicyRulesetTests.state(), changed: true).isEmpty)
        try await kernel.simulateExternalChange(.deleteLink(name: "syvx-100", namespace: nil))

        let icmp = [CompiledRule(action: .allow, peers: nil, ports: [PortMatch(protocol: "icmp")], policy: "np-1")]
        let policiesChanged = PolicyRulesetTests.state(tenant: icmp)
        let before = await kernel.writeCount
        #expect(await reconciler.reconcile(policiesChanged, changed: true).isEmpty)
        let written = await kernel.operations.dropFirst(before)
        #expect(written.count == 1 && written.allSatisfy { if case .replaceNftablesTable = $0 { true } else { false } },
                "only the policy table: \(written)")
        #expect(!(try await kernel.links(in: nil).map(\.name).contains("syvx-100")))

        // A port changing labels changes its policy group alone: still only the policy manager.
        var regrouped = policiesChanged
        regrouped.ports[PolicyRulesetTests.redis]?.policyGroup = "g00000000000000cc"
        let lists = regrouped.policy?.groups[PolicyRulesetTests.group]
        regrouped.policy?.groups["g00000000000000cc"] = lists
        #expect(await reconciler.reconcile(regrouped, changed: true).isEmpty)
        #expect(!(try await kernel.links(in: nil).map(\.name).contains("syvx-100")), "a new policy group: only the policy manager ran")

        #expect(await reconciler.reconcile(policiesChanged).isEmpty, "a resync")
        #expect(try await kernel.links(in: nil).map(\.name).contains("syvx-100"))

        try await kernel.simulateExternalChange(.deleteLink(name: "syvx-100", namespace: nil))
        var portChanged = policiesChanged
        portChanged.ports[PolicyRulesetTests.redis]?.mac = "02:00:00:00:00:ab"
        #expect(await reconciler.reconcile(portChanged, changed: true).isEmpty)
        #expect(try await kernel.links(in: nil).map(\.name).contains("syvx-100"), "a port changed: every manager ran")
    }

    @Test func realizerResyncRepairsARemovedVXLANDevice() async throws {
        let kernel = FakeKernel()
        let realizer = KernelRealizer(reconciler: Reconciler(kernel: kernel), placement: EdgePlacement())
        #expect(await realizer.resync().isEmpty)
        #expect(await kernel.writeCount == 0)

        #expect(await realizer.realize(Fixtures.state, revision: 7).isEmpty)
        try await kernel.simulateExternalChange(.deleteLink(name: "syvx-100", namespace: nil))
        #expect(await realizer.resync().isEmpty)
        #expect(try await kernel.links(in: nil).map(\.name) == ["sybr-100", "sybr-200", "syvx-100", "syvx-200"])
        #expect(try await kernel.fdbEntries(device: "syvx-100") == Fixtures.realizedFDB)
    }
}
