import LocalAPI
import Agent
import Kernel
import Southbound
import Testing

/// Attached ports become veth pairs into their workloads, idempotently; stale ends go away.
@Suite struct PortManagerTests {
    static let port = PortState(switch: "sw-a", name: "web", mac: "02:00:00:00:01:01", ip: "10.0.0.2/24", gateway: "10.0.0.1", mtu: 1450)

    static var state: HostState {
        var state = Fixtures.state
        state.ports["pt-00000000000000aa"] = port
        return state
    }

    static let attachment = PortAttachment(port: "pt-00000000000000aa", namespace: "w1", interfaceName: "eth0")

    func reconciler(_ kernel: FakeKernel, attached: [String: PortAttachment]) -> Reconciler {
        Reconciler(kernel: kernel, managers: [SwitchManager(), FDBManager(), PortManager(attachments: { attached })])
    }

    @Test func anAttachedPortIsPluggedInOnceAndStaysPut() async throws {
        let kernel = FakeKernel()
        let reconciler = reconciler(kernel, attached: [Self.attachment.port: Self.attachment])
        #expect(await reconciler.reconcile(Self.state).isEmpty)

        let hostEnd = try #require(try await kernel.links(in: nil).first { $0.name == "sypt-00000000aa" })
        #expect(hostEnd.master == "sybr-100" && hostEnd.isUp && hostEnd.mtu == 1450)
        let workload = try #require(try await kernel.links(in: "w1").first { $0.name == "eth0" })
        #expect(workload.mac == "02:00:00:00:01:01" && workload.isUp)
        #expect(try await kernel.addresses(device: "eth0", in: "w1") == [InterfaceAddress(address: "10.0.0.2", prefixLength: 24, device: "eth0")])
        #expect(try await kernel.routes(in: "w1") == [Route(destination: "0.0.0.0/0", gateway: "10.0.0.1", device: "eth0")])

        let writes = await kernel.writeCount
        #expect(await reconciler.reconcile(Self.state).isEmpty)
        #expect(await kernel.writeCount == writes, "a second pass writes nothing")
    }

    @Test func newEndsComeUpWithoutIPv6LinkLocalAddressesUnlessThePortHasIPv6() async throws {
        let port = Self.attachment.port
        let plan = PortManager.plan(desired: Self.state, attachments: [port: Self.attachment], hostLinks: [], observed: [:])
        #expect(plan.steps.map(\.operation.description) == [
            "ip link add sypt-00000000aa mtu 1450 master sybr-100 type veth peer name eth0 netns w1",
            "ip link set sypt-00000000aa addrgenmode none",
            "ip link set sypt-00000000aa up",
            "ip -n w1 link set eth0 addrgenmode none",
            "ip -n w1 link set eth0 mtu 1450 address 02:00:00:00:01:01 up",
            "ip -n w1 addr add 10.0.0.2/24 dev eth0",
            "ip -n w1 route replace 0.0.0.0/0 via 10.0.0.1 dev eth0",
        ])
        var dualStack = Self.state
        dualStack.ports[port]?.ip6 = "fd00::2/64"
        let withIPv6 = PortManager.plan(desired: dualStack, attachments: [port: Self.attachment], hostLinks: [], observed: [:])
        #expect(withIPv6.steps.filter { $0.operation.description.contains("addrgenmode") }.count == 1, "the workload keeps its link-local address")
        let withoutIPv6 = PortManager.plan(desired: Self.state, attachments: [port: Self.attachment], hostLinks: [], observed: [:],
                                           hostHasIPv6: false)
        #expect(!withoutIPv6.steps.contains { $0.operation.description.contains("addrgenmode") }, "a kernel without IPv6 takes no IPv6 setting")
    }

    @Test func aHandedOverPortKeepsOnlyItsHostEndAndLeavesTheRuntimesEndAlone() async throws {
        let kernel = FakeKernel()
        let handedOver = PortAttachment(port: Self.attachment.port, namespace: "", interfaceName: "syd0123456789ab", handedOver: true)
        let reconciler = reconciler(kernel, attached: [handedOver.port: handedOver])
        #expect(await reconciler.reconcile(Self.state).isEmpty)
        let hostEnd = try #require(try await kernel.links(in: nil).first { $0.name == "sypt-00000000aa" })
        #expect(hostEnd.master == "sybr-100" && hostEnd.isUp && hostEnd.mtu == 1450)
        #expect(try await kernel.links(in: nil).contains { $0.name == "syd0123456789ab" }, "the other end waits in the host's namespace")

        // Docker moves it into the container under its own name and configures it: nothing to undo.
        try await kernel.simulateExternalChange(.setLink(name: "syd0123456789ab", LinkChange(newName: "eth0", namespace: "c1"), namespace: nil))
        let writes = await kernel.writeCount
        #expect(await reconciler.reconcile(Self.state).isEmpty)
        #expect(await kernel.writeCount == writes, "the runtime's end is the runtime's")

        try await kernel.simulateExternalChange(.setLink(name: "sypt-00000000aa", LinkChange(master: .some(nil)), namespace: nil))
        #expect(await reconciler.reconcile(Self.state).isEmpty)
        #expect(try await kernel.links(in: nil).first { $0.name == "sypt-00000000aa" }?.master == "sybr-100", "the host end is kept")
    }

    @Test func anUnattachedPortIsNotPluggedAndAStaleEndIsRemoved() async throws {
        let kernel = FakeKernel()
        #expect(await reconciler(kernel, attached: [Self.attachment.port: Self.attachment]).reconcile(Self.state).isEmpty)
        // Detached through the local API: the host end (and with it the workload end) goes.
        #expect(await reconciler(kernel, attached: [:]).reconcile(Self.state).isEmpty)
        #expect(try await kernel.links(in: nil).contains { $0.name.hasPrefix("sypt-") } == false)
        #expect(try await kernel.links(in: "w1").isEmpty)
    }

    @Test func driftInTheWorkloadIsRepaired() async throws {
        let kernel = FakeKernel()
        let reconciler = reconciler(kernel, attached: [Self.attachment.port: Self.attachment])
        #expect(await reconciler.reconcile(Self.state).isEmpty)
        try await kernel.simulateExternalChange(.deleteRoute(Route(destination: "0.0.0.0/0", gateway: "10.0.0.1", device: "eth0"),
                                                             namespace: "w1"))
        try await kernel.simulateExternalChange(.setLink(name: "sypt-00000000aa", LinkChange(master: .some(nil)), namespace: nil))
        let writes = await kernel.writeCount
        #expect(await reconciler.reconcile(Self.state).isEmpty)
        #expect(await kernel.writeCount == writes + 2, "re-enslave the host end, restore the route")
        #expect(try await kernel.routes(in: "w1").count == 1)
    }

    /// Reading every workload namespace is the periodic resync's job, every sixth: a pass for a
    /// change from the controller never pays for it, however many passes come.
    @Test func driftInsideAWorkloadIsRepairedAtTheSixthResyncNeverByAPassForAChange() async throws {
        let kernel = FakeKernel()
        let reconciler = reconciler(kernel, attached: [Self.attachment.port: Self.attachment])
        // The pass after the one that plugged it in finds it as desired: verified from then on.
        for _ in 1...2 { #expect(await reconciler.reconcile(Self.state).isEmpty) }
        try await kernel.simulateExternalChange(.deleteRoute(Route(destination: "0.0.0.0/0", gateway: "10.0.0.1", device: "eth0"),
                                                             namespace: "w1"))
        // Changes that run every manager: a port whose workload is not attached yet comes and goes.
        var other = Self.state
        other.ports["pt-00000000000000bb"] = PortState(switch: "sw-a", name: "db", mac: "02:00:00:00:01:02", ip: "10.0.0.3/24",
                                                       gateway: "10.0.0.1", mtu: 1450)
        for round in 1...12 { #expect(await reconciler.reconcile(round % 2 == 0 ? Self.state : other, changed: true).isEmpty) }
        for _ in 3...5 { #expect(await reconciler.reconcile(Self.state).isEmpty) }
        #expect(try await kernel.routes(in: "w1").isEmpty, "five resyncs and no full check yet")
        #expect(await reconciler.reconcile(Self.state).isEmpty)
        #expect(try await kernel.routes(in: "w1").count == 1, "the sixth resync reads the workload and restores its route")
    }
}

/// A failed write is reported against its port, leaves no half-plugged veth, and is retried on
/// the next pass; the other ports carry on.
@Suite struct PortManagerFailureTests {
    static let second = PortState(switch: "sw-a", name: "db", mac: "02:00:00:00:01:02", ip: "10.0.0.3/24", gateway: "10.0.0.1", mtu: 1450)
    static let secondAttachment = PortAttachment(port: "pt-00000000000000bb", namespace: "w2", interfaceName: "eth0")

    static var state: HostState {
        var state = PortManagerTests.state
        state.ports[secondAttachment.port] = second
        return state
    }

    func reconciler(_ kernel: FakeKernel) -> Reconciler {
        let attached = [PortManagerTests.attachment.port: PortManagerTests.attachment, Self.secondAttachment.port: Self.secondAttachment]
        return Reconciler(kernel: kernel, managers: [SwitchManager(), PortManager(attachments: { attached })])
    }

    @Test func aFailedAddressRemovesTheVethReportsThePortAndIsRetried() async throws {
        let kernel = FakeKernel()
        await kernel.failWrites { if case .addAddress(let address, "w1") = $0 { address.address == "10.0.0.2" } else { false } }
        let errors = await reconciler(kernel).reconcile(Self.state)
        #expect(errors.map(\.object) == ["pt-00000000000000aa"])
        #expect(errors.first?.message.hasPrefix("ip -n w1 addr add 10.0.0.2/24 dev eth0") == true, "\(errors)")
        let hostEnds = try await kernel.links(in: nil).map(\.name).filter { $0.hasPrefix("sypt-") }
        #expect(hostEnds == ["sypt-00000000bb"], "the failed port's veth is gone, the other port is plugged")
        #expect(try await kernel.links(in: "w1").isEmpty)

        await kernel.stopFailing()
        #expect(await reconciler(kernel).reconcile(Self.state).isEmpty)
        #expect(try await kernel.addresses(device: "eth0", in: "w1").map(\.address) == ["10.0.0.2"])
        let writes = await kernel.writeCount
        #expect(await reconciler(kernel).reconcile(Self.state).isEmpty)
        #expect(await kernel.writeCount == writes)
    }

    @Test func aFailedVethCreationLeavesNothingAndIsRetried() async throws {
        let kernel = FakeKernel()
        await kernel.failWrite(number: 9) // after the two switches' eight writes: the first veth
        let errors = await reconciler(kernel).reconcile(Self.state)
        #expect(errors.map(\.object) == ["pt-00000000000000aa"])
        #expect(await kernel.failures.map(\.description) == ["ip link add sypt-00000000aa mtu 1450 master sybr-100 type veth peer name eth0 netns w1"])
        #expect(try await kernel.links(in: "w1").isEmpty)
        #expect(await reconciler(kernel).reconcile(Self.state).isEmpty)
        #expect(try await kernel.links(in: "w1").map(\.name) == ["eth0"])
    }

    @Test func aWorkloadNamespaceThatCannotBeReadIsRebuiltNotReportedAsAHostError() async throws {
        let kernel = FakeKernel()
        #expect(await reconciler(kernel).reconcile(Self.state).isEmpty)
        // The workload's namespace was recreated: its end of the veth is gone with the old one.
        try await kernel.simulateExternalChange(.deleteLink(name: "eth0", namespace: "w2"))
        #expect(await reconciler(kernel).reconcile(Self.state).isEmpty)
        #expect(try await kernel.links(in: "w2").map(\.name) == ["eth0"])
        #expect(try await kernel.addresses(device: "eth0", in: "w2").map(\.address) == ["10.0.0.3"])
    }
}

/// An interface by the attachment's name that is not the port's own veth end is never rewritten.
@Suite struct PortManagerForeignInterfaceTests {
    @Test func aWorkloadInterfaceThatIsNotThePortsPeerIsLeftAlone() async throws {
        let kernel = FakeKernel()
        // The runtime's own pair: its `eth0` sits in w1, its other end in the host namespace.
        try await kernel.simulateExternalChange(.addLink(LinkSpec(name: "other0", kind: .veth, mtu: 1500, peer: "eth0", peerNamespace: "w1"),
                                                         namespace: nil))
        try await kernel.simulateExternalChange(.addAddress(InterfaceAddress(address: "192.168.9.9", prefixLength: 24, device: "eth0"),
                                                            namespace: "w1"))
        let before = try await kernel.links(in: "w1")
        let attached = [PortManagerTests.attachment.port: PortManagerTests.attachment]
        let reconciler = Reconciler(kernel: kernel, managers: [SwitchManager(), FDBManager(), PortManager(attachments: { attached })])
        let errors = await reconciler.reconcile(PortManagerTests.state)
        #expect(errors.map(\.object) == [PortManagerTests.attachment.port])
        #expect(errors.first?.message.contains("not this port's veth") == true)
        #expect(try await kernel.links(in: "w1") == before, "not renamed, re-addressed or brought up")
        #expect(try await kernel.addresses(device: "eth0", in: "w1").map(\.address) == ["192.168.9.9"])
        #expect(try await kernel.routes(in: "w1").isEmpty)
        #expect(try await kernel.links(in: nil).contains { $0.name.hasPrefix("sypt-") } == false)
    }

    @Test func thePortsOwnEndIsRecognisedByItsPeerIndex() async throws {
        let kernel = FakeKernel()
        let attached = [PortManagerTests.attachment.port: PortManagerTests.attachment]
        let reconciler = Reconciler(kernel: kernel, managers: [SwitchManager(), FDBManager(), PortManager(attachments: { attached })])
        #expect(await reconciler.reconcile(PortManagerTests.state).isEmpty)
        let host = try #require(try await kernel.links(in: nil).first { $0.name == "sypt-00000000aa" })
        let workload = try #require(try await kernel.links(in: "w1").first { $0.name == "eth0" })
        #expect(host.peerIndex == workload.index && workload.peerIndex == host.index)
    }
}
