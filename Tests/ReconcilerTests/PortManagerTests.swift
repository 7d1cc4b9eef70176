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
}
