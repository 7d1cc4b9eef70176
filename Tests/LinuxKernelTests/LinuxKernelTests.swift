import Foundation
import Kernel
import LinuxKernel
import Testing

/// Integration tests against the real kernel, each in its own throwaway network namespaces.
@Suite(.enabled(if: NamespaceFixture.isRoot, NamespaceFixture.skipReason))
struct LinuxKernelTests {
    @Test func bridgeAndVXLANAreCreatedEnslavedAndReadBack() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let namespace = names[0]
            let kernel = LinuxKernel()
            try await kernel.addLink(LinkSpec(name: "br-test", kind: .bridge, mtu: 1450), in: namespace)
            let vxlan = LinkKind.vxlan(vni: 4242, local: "198.18.0.1", port: 4789, learning: false, proxy: true)
            try await kernel.addLink(LinkSpec(name: "vx-test", kind: vxlan, mtu: 1450), in: namespace)
            try await kernel.setLink(named: "vx-test", LinkChange(master: .some("br-test"), isUp: true), in: namespace)
            try await kernel.setLink(named: "br-test", LinkChange(isUp: true), in: namespace)

            let links = Dictionary(uniqueKeysWithValues: try await kernel.links(in: namespace).map { ($0.name, $0) })
            let bridge = try #require(links["br-test"])
            #expect(bridge.kind == .bridge)
            #expect(bridge.mtu == 1450)
            #expect(bridge.isUp)
            #expect(bridge.master == nil)
            #expect(bridge.mac.count == 17)
            let device = try #require(links["vx-test"])
            #expect(device.kind == vxlan)
            #expect(device.mtu == 1450)
            #expect(device.isUp)
            #expect(device.master == "br-test")
            #expect(links["lo"]?.kind == .other(""))
            // Cross-check with iproute2's own reading of the device.
            let details = try NamespaceFixture.ip(["-n", namespace, "-d", "link", "show", "vx-test"])
            for fragment in ["mtu 1450", "master br-test", "vxlan id 4242", "local 198.18.0.1", "dstport 4789", "nolearning"] {
                #expect(details.contains(fragment), "\(fragment) missing from: \(details)")
            }

            try await kernel.setLink(named: "vx-test", LinkChange(master: .some(nil), isUp: false), in: namespace)
            let released = try #require(try await kernel.links(in: namespace).first { $0.name == "vx-test" })
            #expect(released.master == nil)
            #expect(!released.isUp)

            try await kernel.deleteLink(named: "vx-test", in: namespace)
            try await kernel.deleteLink(named: "br-test", in: namespace)
            #expect(try await kernel.links(in: namespace).map(\.name) == ["lo"])
        }
    }

    @Test func twoFloodEntriesCoexistBesideAUnicastEntry() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            // The protocol's FDB calls work in the default namespace; point it at the test's.
            let kernel = LinuxKernel(defaultNamespace: names[0])
            let vxlan = LinkKind.vxlan(vni: 4242, local: "198.18.0.1", port: 4789, learning: false, proxy: true)
            try await kernel.addLink(LinkSpec(name: "vx-test", kind: vxlan, mtu: 1450), in: nil)
            try await kernel.setLink(named: "vx-test", LinkChange(isUp: true), in: nil)

            let unicast = FDBEntry(mac: "02:00:00:00:00:0a", device: "vx-test", vtep: "198.18.0.2")
            let floodToThree = FDBEntry(mac: FDBEntry.floodMAC, device: "vx-test", vtep: "198.18.0.3")
            let floodToFour = FDBEntry(mac: FDBEntry.floodMAC, device: "vx-test", vtep: "198.18.0.4")
            for entry in [unicast, floodToThree, floodToFour] {
                try await kernel.addFDBEntry(entry)
            }
            #expect(Set(try await kernel.fdbEntries(device: "vx-test")) == [unicast, floodToThree, floodToFour])
            let table = try NamespaceFixture.bridge(["-n", names[0], "fdb", "show", "dev", "vx-test"])
            for fragment in ["02:00:00:00:00:0a dst 198.18.0.2 self permanent", "00:00:00:00:00:00 dst 198.18.0.3 self permanent",
                             "00:00:00:00:00:00 dst 198.18.0.4 self permanent"] {
                #expect(table.contains(fragment), "\(fragment) missing from: \(table)")
            }

            // Adding again changes nothing; a unicast MAC moves rather than gaining a second VTEP.
            try await kernel.addFDBEntry(floodToFour)
            let moved = FDBEntry(mac: unicast.mac, device: "vx-test", vtep: "198.18.0.5")
            try await kernel.addFDBEntry(moved)
            #expect(Set(try await kernel.fdbEntries(device: "vx-test")) == [moved, floodToThree, floodToFour])

            try await kernel.deleteFDBEntry(floodToThree)
            #expect(Set(try await kernel.fdbEntries(device: "vx-test")) == [moved, floodToFour])
        }
    }

    @Test func vethPeerInAnotherNamespaceIsRenamedAddressedAndRouted() async throws {
        try await NamespaceFixture.withNamespaces(2) { names in
            let (host, workload) = (names[0], names[1])
            let kernel = LinuxKernel()
            try await kernel.addLink(LinkSpec(name: "veth-host", kind: .veth, mtu: 1450, peer: "veth-peer", peerNamespace: workload),
                                     in: host)
            #expect(try await kernel.links(in: host).contains { $0.name == "veth-host" && $0.kind == .veth && $0.mtu == 1450 })
            let peer = try #require(try await kernel.links(in: workload).first { $0.name == "veth-peer" })
            #expect(peer.kind == .veth)
            #expect(peer.mtu == 1450)

            let mac = "02:00:00:00:00:02"
            try await kernel.setLink(named: "veth-peer", LinkChange(isUp: true, mac: mac, newName: "eth0"), in: workload)
            try await kernel.setLink(named: "veth-host", LinkChange(isUp: true), in: host)
            let eth0 = try #require(try await kernel.links(in: workload).first { $0.name == "eth0" })
            #expect(eth0.mac == mac)
            #expect(eth0.isUp)

            let address = InterfaceAddress(address: "10.0.0.2", prefixLength: 24, device: "eth0")
            try await kernel.addAddress(address, in: workload)
            #expect(try await kernel.addresses(device: "eth0", in: workload).contains(address))

            let defaultRoute = Route(destination: "0.0.0.0/0", gateway: "10.0.0.1", device: "eth0")
            try await kernel.addRoute(defaultRoute, in: workload)
            let routes = try await kernel.routes(in: workload)
            #expect(routes.contains(defaultRoute))
            #expect(routes.contains(Route(destination: "10.0.0.0/24", device: "eth0")))

            let neighbour = Neighbour(ip: "10.0.0.1", mac: "02:00:00:00:00:01", device: "eth0")
            try await kernel.addNeighbour(neighbour, in: workload)
            #expect(try await kernel.neighbours(device: "eth0", in: workload) == [neighbour])
            try await kernel.deleteNeighbour(neighbour, in: workload)
            #expect(try await kernel.neighbours(device: "eth0", in: workload).isEmpty)

            try await kernel.deleteRoute(defaultRoute, in: workload)
            #expect(!(try await kernel.routes(in: workload).contains(defaultRoute)))
            try await kernel.deleteAddress(address, in: workload)
            #expect(!(try await kernel.addresses(device: "eth0", in: workload).contains(address)))

            // Deleting one end removes the peer in the other namespace.
            try await kernel.deleteLink(named: "veth-host", in: host)
            #expect(!(try await kernel.links(in: workload).contains { $0.name == "eth0" }))
        }
    }

    @Test func aVethsHostEndIsEnslavedAsItIsMadeAndCanComeUpWithoutIPv6() async throws {
        try await NamespaceFixture.withNamespaces(2) { names in
            let (host, workload) = (names[0], names[1])
            let kernel = LinuxKernel()
            try await kernel.addLink(LinkSpec(name: "br-one", kind: .bridge, mtu: 1500), in: host)
            try await kernel.addLink(LinkSpec(name: "veth-host", kind: .veth, mtu: 1400, peer: "eth0", peerNamespace: workload,
                                              master: "br-one"), in: host)
            let hostEnd = try #require(try await kernel.links(in: host).first { $0.name == "veth-host" })
            #expect(hostEnd.master == "br-one" && hostEnd.mtu == 1400)
            let eth0 = try #require(try await kernel.links(in: workload).first { $0.name == "eth0" })
            #expect(!eth0.isUp && eth0.mtu == 1400)

            // Without address generation, a link that comes up gets no IPv6 link-local address.
            try await kernel.setLink(named: "veth-host", LinkChange(generatesIPv6Addresses: false), in: host)
            try await kernel.setLink(named: "veth-host", LinkChange(isUp: true), in: host)
            try await kernel.setLink(named: "eth0", LinkChange(isUp: true), in: workload)
            #expect(try NamespaceFixture.ip(["-n", host, "-6", "addr", "show", "dev", "veth-host"]).isEmpty)
            #expect(try NamespaceFixture.ip(["-n", workload, "-6", "addr", "show", "dev", "eth0"]).contains("fe80::"), "the default stays")
        }
    }

    @Test func aRuleSendsABridgesTrafficToATableOfItsOwn() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let namespace = names[0]
            let kernel = LinuxKernel()
            try await kernel.addLink(LinkSpec(name: "sybr-7", kind: .bridge, mtu: 1500), in: namespace)
            try await kernel.setLink(named: "sybr-7", LinkChange(isUp: true), in: namespace)
            let rule = RoutingRule(device: "sybr-7", table: 100_007, priority: 10_000)
            try await kernel.addRule(rule, in: namespace)
            #expect(try await kernel.rules(in: namespace) == [rule], "the kernel's own rules (lookup local, main, default) name no interface")
            #expect(try NamespaceFixture.ip(["-n", namespace, "rule", "show"]).contains("10000:\tfrom all iif sybr-7 lookup 100007"))

            let route = Route(destination: "0.0.0.0/0", device: "sybr-7", table: 100_007)
            try await kernel.addRoute(route, in: namespace)
            #expect(try await kernel.routes(table: 100_007, in: namespace) == [route])
            #expect(!(try await kernel.routes(in: namespace)).contains { $0.destination == "0.0.0.0/0" }, "main holds no route of that table")
            try await kernel.setSysctl("net.ipv4.conf.sybr-7.forwarding", to: "1", in: namespace)
            #expect(try NamespaceFixture.ip(["-n", namespace, "route", "get", "10.9.9.9", "from", "10.0.0.2", "iif", "sybr-7"])
                .contains("dev sybr-7"))

            try await kernel.deleteRoute(route, in: namespace)
            #expect(try await kernel.routes(table: 100_007, in: namespace).isEmpty)
            try await kernel.deleteRule(rule, in: namespace)
            #expect(try await kernel.rules(in: namespace).isEmpty)
        }
    }

    @Test func hairpinModeIsSetReadAndClearedOnABridgePort() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let namespace = names[0]
            let kernel = LinuxKernel()
            try await kernel.addLink(LinkSpec(name: "sybr-8", kind: .bridge, mtu: 1500), in: namespace)
            try await kernel.addLink(LinkSpec(name: "sypt-a", kind: .veth, mtu: 1500, peer: "sypt-b"), in: namespace)
            try await kernel.setLink(named: "sypt-a", LinkChange(master: "sybr-8"), in: namespace)
            try await kernel.setLink(named: "sypt-b", LinkChange(master: "sybr-8"), in: namespace)
            #expect(try await kernel.hairpinPorts(among: ["sypt-a", "sypt-b"], in: namespace).isEmpty)

            try await kernel.setLink(named: "sypt-a", LinkChange(hairpin: true), in: namespace)
            #expect(try await kernel.hairpinPorts(among: ["sypt-a", "sypt-b"], in: namespace) == ["sypt-a"])
            #expect(try NamespaceFixture.bridge(["-n", namespace, "-d", "link", "show", "dev", "sypt-a"]).contains("hairpin on"))
            try await kernel.setLink(named: "sypt-a", LinkChange(hairpin: false), in: namespace)
            #expect(try await kernel.hairpinPorts(among: ["sypt-a"], in: namespace).isEmpty)
        }
    }

    @Test func setLinkMovesALinkIntoAnotherNamespaceUnderANewName() async throws {
        try await NamespaceFixture.withNamespaces(2) { names in
            let (host, workload) = (names[0], names[1])
            let kernel = LinuxKernel()
            try await kernel.addLink(LinkSpec(name: "veth-a", kind: .veth, mtu: 1500, peer: "veth-b"), in: host)
            try await kernel.setLink(named: "veth-b", LinkChange(mtu: 1400, newName: "eth1", namespace: workload), in: host)
            #expect(!(try await kernel.links(in: host).contains { $0.name == "veth-b" }))
            let moved = try #require(try await kernel.links(in: workload).first { $0.name == "eth1" })
            #expect(moved.mtu == 1400)
            #expect(moved.kind == .veth)
        }
    }

    @Test func failuresNameTheOperationAndTheKernelsAnswer() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let kernel = LinuxKernel()
            let error = try #require(await #expect(throws: KernelError.self) {
                try await kernel.deleteLink(named: "no-such-link", in: names[0])
            })
            #expect(error.isNotFound)
            #expect(error.operation.contains("ip link del no-such-link"))
            #expect(!error.message.isEmpty)

            try await kernel.addLink(LinkSpec(name: "br-twice", kind: .bridge, mtu: 1500), in: names[0])
            let duplicate = try #require(await #expect(throws: KernelError.self) {
                try await kernel.addLink(LinkSpec(name: "br-twice", kind: .bridge, mtu: 1500), in: names[0])
            })
            #expect(duplicate.isAlreadyExisting)

            let missingNamespace = try #require(await #expect(throws: KernelError.self) {
                _ = try await kernel.links(in: "sy-test-missing-namespace")
            })
            #expect(missingNamespace.isNotFound)
        }
    }
}
