import Agent
import Kernel
import Southbound
import Testing

/// Switches and ports run at no more than the underlay MTU − 50, so VXLAN never fragments.
@Suite struct UnderlayMTUTests {
    static func kernel(underlayMTU: Int) async throws -> FakeKernel {
        let kernel = FakeKernel(links: [Link(name: "eth0", kind: .other("ether"), mtu: underlayMTU, isUp: true)])
        try await kernel.simulateExternalChange(.addAddress(InterfaceAddress(address: Fixtures.underlay, prefixLength: 15, device: "eth0"),
                                                            namespace: nil))
        return kernel
    }

    static var jumboState: HostState {
        var state = PortManagerTests.state
        state.switches["sw-a"]?.mtu = 8950
        state.ports[PortManagerTests.attachment.port]?.mtu = 8950
        return state
    }

    func reconciler(_ kernel: FakeKernel) -> Reconciler {
        let attached = [PortManagerTests.attachment.port: PortManagerTests.attachment]
        return Reconciler(kernel: kernel, managers: [SwitchManager(), PortManager(attachments: { attached })])
    }

    @Test func aSwitchAskingForMoreRunsAtTheUnderlayMinusFifty() async throws {
        let kernel = try await Self.kernel(underlayMTU: 1500)
        #expect(await reconciler(kernel).reconcile(Self.jumboState).isEmpty)
        let mtus = Dictionary(try await kernel.links(in: nil).map { ($0.name, $0.mtu) }, uniquingKeysWith: { first, _ in first })
        #expect(mtus["sybr-100"] == 1450 && mtus["syvx-100"] == 1450 && mtus["sypt-00000000aa"] == 1450)
        #expect(try await kernel.links(in: "w1").first?.mtu == 1450)
        #expect(mtus["sybr-200"] == 1400, "a switch asking for less keeps its own MTU")
    }

    @Test func aJumboUnderlayGivesTheSwitchWhatItAsksFor() async throws {
        let kernel = try await Self.kernel(underlayMTU: 9000)
        #expect(await reconciler(kernel).reconcile(Self.jumboState).isEmpty)
        #expect(try await kernel.links(in: nil).first { $0.name == "syvx-100" }?.mtu == 8950)
        let writes = await kernel.writeCount
        #expect(await reconciler(kernel).reconcile(Self.jumboState).isEmpty)
        #expect(await kernel.writeCount == writes)
    }
}
