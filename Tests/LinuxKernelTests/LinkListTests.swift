import Foundation
import Kernel
@testable import LinuxKernel
import Testing

/// The default namespace's links are answered from the last dump until a link changes: changes
/// made by anyone (here iproute2, and the kernel object itself) must show at once.
@Suite(.enabled(if: NamespaceFixture.isRoot, NamespaceFixture.skipReason))
struct LinkListTests {
    @Test func quietLinksAreNotDumpedAgainButEveryChangeShows() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let namespace = names[0]
            let kernel = LinuxKernel(defaultNamespace: namespace)
            #expect(try await kernel.links(in: nil).map(\.name) == ["lo"])
            let firstDump = try #require(await kernel.lastLinkDump)
            #expect(try await kernel.links(in: nil).map(\.name) == ["lo"])
            #expect(await kernel.lastLinkDump == firstDump, "nothing changed: no second dump")

            try NamespaceFixture.ip(["-n", namespace, "link", "add", "br-outside", "type", "bridge"])
            #expect(try await kernel.links(in: nil).map(\.name) == ["lo", "br-outside"])
            try NamespaceFixture.ip(["-n", namespace, "link", "set", "br-outside", "mtu", "1400", "up"])
            let bridge = try #require(try await kernel.links(in: nil).first { $0.name == "br-outside" })
            #expect(bridge.mtu == 1400 && bridge.isUp)

            try await kernel.addLink(LinkSpec(name: "vh-own", kind: .veth, mtu: 1450, peer: "vw-own", master: "br-outside"), in: nil)
            let own = try await kernel.links(in: nil)
            #expect(own.first { $0.name == "vh-own" }?.master == "br-outside")
            #expect(own.first { $0.name == "vw-own" }?.kind == .veth)

            try NamespaceFixture.ip(["-n", namespace, "link", "set", "vh-own", "nomaster"])
            #expect(try await kernel.links(in: nil).first { $0.name == "vh-own" }?.master == nil)
            try NamespaceFixture.ip(["-n", namespace, "link", "del", "vh-own"])
            try NamespaceFixture.ip(["-n", namespace, "link", "del", "br-outside"])
            #expect(try await kernel.links(in: nil).map(\.name) == ["lo"])
        }
    }

    @Test func aDefaultNamespaceReplacedUnderTheSameNameIsReadAfresh() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let namespace = names[0]
            let kernel = LinuxKernel(defaultNamespace: namespace)
            try NamespaceFixture.ip(["-n", namespace, "link", "add", "br-old", "type", "bridge"])
            #expect(try await kernel.links(in: nil).map(\.name) == ["lo", "br-old"])
            // A new namespace under the same name sends no notification to the old one's watch.
            try NamespaceFixture.ip(["netns", "del", namespace])
            try NamespaceFixture.ip(["netns", "add", namespace])
            #expect(try await kernel.links(in: nil).map(\.name) == ["lo"])
        }
    }
}

extension LinuxKernel {
    /// When the default namespace's links were last dumped.
    fileprivate var lastLinkDump: ContinuousClock.Instant? { defaultLinkList?.readAt }
}
