import Kernel
import Testing

@Suite struct FakeKernelTests {
    let bridge = LinkSpec(name: "br-test", kind: .bridge, mtu: 1450)
    let vxlan = LinkSpec(name: "vx-test", kind: .vxlan(vni: 7, local: "198.18.0.1", port: 4789, learning: false, proxy: true), mtu: 1450)

    @Test func recordsEveryWriteInOrderAndCountsThem() async throws {
        let kernel = FakeKernel()
        try await kernel.addLink(bridge, in: nil)
        try await kernel.setLink(named: "br-test", LinkChange(isUp: true), in: nil)
        #expect(await kernel.operations == [
            .addLink(bridge, namespace: nil),
            .setLink(name: "br-test", LinkChange(isUp: true), namespace: nil),
        ])
        #expect(await kernel.writeCount == 2)
        #expect(try await kernel.links(in: nil).map(\.isUp) == [true])
    }

    @Test func refusesWhatLinuxRefuses() async throws {
        let kernel = FakeKernel()
        try await kernel.addLink(vxlan, in: nil)
        await #expect(throws: FakeKernelError.linkExists("vx-test")) { try await kernel.addLink(vxlan, in: nil) }
        await #expect(throws: FakeKernelError.vniInUse(vni: 7, port: 4789)) {
            try await kernel.addLink(LinkSpec(name: "vx-other", kind: vxlan.kind, mtu: 1450), in: nil)
        }
        await #expect(throws: FakeKernelError.invalidName("a-name-too-long-x")) {
            try await kernel.addLink(LinkSpec(name: "a-name-too-long-x", kind: .bridge, mtu: 1500), in: nil)
        }
        await #expect(throws: FakeKernelError.notABridge("vx-test")) {
            try await kernel.addLink(bridge, in: nil)
            try await kernel.setLink(named: "br-test", LinkChange(master: "vx-test"), in: nil)
        }
        await #expect(throws: FakeKernelError.noSuchLink("nope")) { try await kernel.deleteLink(named: "nope", in: nil) }
        #expect(await kernel.failures.count == 5)
    }

    @Test func failsTheNthWriteFromNowAndLeavesStateAlone() async throws {
        let kernel = FakeKernel()
        await kernel.failWrite(number: 2)
        try await kernel.addLink(bridge, in: nil)
        await #expect(throws: FakeKernelError.injected(.addLink(vxlan, namespace: nil))) {
            try await kernel.addLink(vxlan, in: nil)
        }
        try await kernel.addLink(vxlan, in: nil)
        #expect(try await kernel.links(in: nil).map(\.name) == ["br-test", "vx-test"])
        #expect(await kernel.failures == [.addLink(vxlan, namespace: nil)])
        #expect(await kernel.writeCount == 3)
    }

    @Test func failsMatchingWritesUntilToldToStop() async throws {
        let kernel = FakeKernel()
        await kernel.failWrites { if case .addLink(let spec, _) = $0 { spec.name.hasPrefix("vx") } else { false } }
        try await kernel.addLink(bridge, in: nil)
        await #expect(throws: FakeKernelError.self) { try await kernel.addLink(vxlan, in: nil) }
        await #expect(throws: FakeKernelError.self) { try await kernel.addLink(vxlan, in: nil) }
        await kernel.stopFailing()
        try await kernel.addLink(vxlan, in: nil)
        #expect(await kernel.failures.count == 2)
    }

    @Test func deletingABridgeReleasesItsSlavesAndADeviceTakesItsFDBEntries() async throws {
        let entry = FDBEntry(mac: FDBEntry.floodMAC, device: "vx-test", vtep: "198.18.0.2")
        let kernel = FakeKernel()
        try await kernel.addLink(bridge, in: nil)
        try await kernel.addLink(vxlan, in: nil)
        try await kernel.setLink(named: "vx-test", LinkChange(master: "br-test"), in: nil)
        try await kernel.addFDBEntry(entry)
        await #expect(throws: FakeKernelError.self) { try await kernel.addFDBEntry(entry) }
        #expect(try await kernel.fdbEntries(device: "vx-test") == [entry])

        try await kernel.deleteLink(named: "br-test", in: nil)
        #expect(try await kernel.links(in: nil).map(\.master) == [nil])
        try await kernel.deleteLink(named: "vx-test", in: nil)
        try await kernel.addLink(vxlan, in: nil)
        #expect(try await kernel.fdbEntries(device: "vx-test").isEmpty)
    }

    @Test func vethPeerLivesInItsNamespaceAndDiesWithItsPeer() async throws {
        let kernel = FakeKernel()
        try await kernel.addLink(LinkSpec(name: "syp-1", kind: .veth, mtu: 1450, peer: "eth0", peerNamespace: "pod1"), in: nil)
        try await kernel.addAddress(InterfaceAddress(address: "10.0.0.2", prefixLength: 24, device: "eth0"), in: "pod1")
        #expect(try await kernel.links(in: "pod1").map(\.name) == ["eth0"])
        #expect(try await kernel.addresses(device: "eth0", in: "pod1").count == 1)

        try await kernel.deleteLink(named: "syp-1", in: nil)
        #expect(try await kernel.links(in: "pod1").isEmpty)
        #expect(try await kernel.links(in: nil).isEmpty)
    }

    @Test func externalChangesAreNotRecorded() async throws {
        let kernel = FakeKernel(links: [Link(name: "eth0", kind: .other("ether"), mtu: 1500, isUp: true)])
        try await kernel.simulateExternalChange(.addLink(bridge, namespace: nil))
        #expect(await kernel.writeCount == 0)
        #expect(try await kernel.links(in: nil).map(\.name) == ["br-test", "eth0"])
    }

    @Test func operationsDescribeThemselvesAsCommands() {
        #expect(KernelOperation.addLink(vxlan, namespace: nil).description
            == "ip link add vx-test mtu 1450 type vxlan id 7 local 198.18.0.1 dstport 4789 nolearning proxy")
        #expect(KernelOperation.setLink(name: "vx-test", LinkChange(master: "br-test", isUp: true), namespace: nil)
            .description == "ip link set vx-test master br-test up")
        #expect(KernelOperation.addFDBEntry(FDBEntry(mac: FDBEntry.floodMAC, device: "vx-test", vtep: "198.18.0.2"))
            .description == "bridge fdb append 00:00:00:00:00:00 dev vx-test dst 198.18.0.2 self permanent")
        #expect(KernelOperation.deleteLink(name: "eth0", namespace: "pod1").description == "ip -n pod1 link del eth0")
    }
}
