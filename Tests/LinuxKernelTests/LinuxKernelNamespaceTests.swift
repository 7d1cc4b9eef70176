import Foundation
import Kernel
import LinuxKernel
import Testing

/// Namespaces the agent pins itself, kernel settings inside them, macvlan, and the link-kind probe,
/// against the real kernel.
@Suite(.enabled(if: NamespaceFixture.isRoot, NamespaceFixture.skipReason))
struct LinuxKernelNamespaceTests {
    @Test func aNamespaceIsPinnedListedUsableAndDeletedWithItsDevices() async throws {
        let kernel = LinuxKernel()
        let name = "sy-test-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        defer { _ = try? NamespaceFixture.ip(["netns", "del", name]) }
        try await kernel.addNamespace(named: name)
        #expect(try await kernel.namespaces().contains(name))
        #expect(try NamespaceFixture.ip(["netns", "list"]).contains(name), "ip netns sees it too")
        await #expect(throws: (any Error).self) { try await kernel.addNamespace(named: name) }

        // Settings are the namespace's own: forwarding on here leaves the caller's alone.
        let outside = try await kernel.sysctls(["net.ipv4.ip_forward"], in: nil)
        try await kernel.setSysctl("net.ipv4.ip_forward", to: "1", in: name)
        #expect(try await kernel.sysctls(["net.ipv4.ip_forward", "net.ipv4.no.such.key"], in: name) == ["net.ipv4.ip_forward": "1"])
        #expect(try await kernel.sysctls(["net.ipv4.ip_forward"], in: nil) == outside)
        await #expect(throws: (any Error).self) { try await kernel.setSysctl("net.ipv4/../../kernel.hostname", to: "x", in: name) }

        try await kernel.addLink(LinkSpec(name: "br-test", kind: .bridge, mtu: 1500), in: name)
        try await kernel.deleteNamespace(named: name)
        #expect(try await kernel.namespaces().contains(name) == false)
        #expect(!FileManager.default.fileExists(atPath: "/run/netns/\(name)"))
    }

    @Test func aMacvlanIsMadeOnItsParentMovedAndRenamed() async throws {
        try await NamespaceFixture.withNamespaces(2) { names in
            let (host, router) = (names[0], names[1])
            let kernel = LinuxKernel()
            try await kernel.addLink(LinkSpec(name: "parent0", kind: .veth, mtu: 1500, peer: "peer0"), in: host)
            try await kernel.addLink(LinkSpec(name: "syup-test", kind: .macvlan(parent: "parent0"), mtu: 0, mac: "0e:00:00:00:00:f1"),
                                     in: host)
            #expect(try await kernel.links(in: host).first { $0.name == "syup-test" }?.kind == .macvlan(parent: "parent0"))
            try await kernel.setLink(named: "syup-test", LinkChange(newName: "uplink", namespace: router), in: host)
            let uplink = try #require(try await kernel.links(in: router).first { $0.name == "uplink" })
            #expect(uplink.mac == "0e:00:00:00:00:f1")
        }
    }

    @Test func theProbeTellsKnownLinkKindsFromUnknownOnes() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let kernel = LinuxKernel()
            #expect(await kernel.supportsLinkKind("bridge", in: names[0]))
            #expect(await kernel.supportsLinkKind("no-such-kind", in: names[0]) == false)
            let left = try await kernel.links(in: names[0]).map(\.name)
            #expect(left == ["lo"], "the probe leaves nothing behind")
        }
    }
}

/// FDB and neighbour reads of many devices (one dump, filtered here) and of a few (one filtered
/// dump each) find the same entries.
@Suite(.enabled(if: NamespaceFixture.isRoot, NamespaceFixture.skipReason))
struct LinuxKernelBatchReadTests {
    @Test func manyDevicesAndAFewAreReadAlike() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let kernel = LinuxKernel(defaultNamespace: names[0])
            let devices = (1...6).map { "vx-test\($0)" }
            for (index, device) in devices.enumerated() {
                let kind = LinkKind.vxlan(vni: 5000 + index, local: "198.18.0.1", port: 4789, learning: false, proxy: true)
                try await kernel.addLink(LinkSpec(name: device, kind: kind, mtu: 1450), in: nil)
                try await kernel.addFDBEntry(FDBEntry(mac: "02:00:00:00:00:0\(index)", device: device, vtep: "198.18.0.\(20 + index)"))
                try await kernel.addNeighbour(Neighbour(ip: "10.0.\(index).9", mac: "02:00:00:00:00:0\(index)", device: device), in: nil)
            }
            let allFDB = try await kernel.fdbEntries(devices: devices)
            #expect(Set(allFDB.map(\.device)) == Set(devices) && allFDB.count == 6)
            let few = try await kernel.fdbEntries(devices: ["vx-test2", "vx-test5"])
            #expect(few.map(\.vtep).sorted() == ["198.18.0.21", "198.18.0.24"], "\(few)")
            let allNeighbours = try await kernel.neighbours(devices: devices, in: nil)
            #expect(Set(allNeighbours.map(\.ip)) == Set((0..<6).map { "10.0.\($0).9" }))
            #expect(try await kernel.neighbours(devices: ["vx-test3"], in: nil).map(\.ip) == ["10.0.2.9"])
            await #expect(throws: (any Error).self) { try await kernel.fdbEntries(devices: devices + ["vx-missing"]) }
        }
    }
}
