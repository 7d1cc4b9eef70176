import Agent
import Kernel
import Southbound

/// Two switches on host hv1 (underlay 198.18.0.1): `sw-a` (VNI 100) with two remote ports on two
/// other hosts, `sw-b` (VNI 200) with none.
enum Fixtures {
    static let underlay = "198.18.0.1"

    static let state = HostState(
        host: HostInfo(id: "hv-1", name: "hv1", underlay: underlay, role: "compute"),
        switches: [
            "sw-a": SwitchState(vni: 100, mtu: 1450, cidr: "10.0.0.0/24", gateway: "10.0.0.1",
                                remotePorts: [
                                    RemotePort(mac: "02:00:00:00:00:0a", ip: "10.0.0.10", vtep: "198.18.0.2"),
                                    RemotePort(mac: "02:00:00:00:00:0b", ip: "10.0.0.11", vtep: "198.18.0.3"),
                                ],
                                floodList: ["198.18.0.2", "198.18.0.3"]),
            "sw-b": SwitchState(vni: 200, mtu: 1400, cidr: "10.1.0.0/24", gateway: "10.1.0.1"),
        ]
    )

    static let foreign = Link(name: "eth0", kind: .other("ether"), mtu: 1500, isUp: true)

    static func vxlanKind(_ vni: Int) -> LinkKind {
        .vxlan(vni: vni, local: underlay, port: 4789, learning: false, proxy: true)
    }

    /// The links of a host where `state` is fully realized, plus `eth0`.
    static let realizedLinks: [Link] = [
        foreign,
        Link(name: "sybr-100", kind: .bridge, mtu: 1450, isUp: true),
        Link(name: "syvx-100", kind: vxlanKind(100), mtu: 1450, isUp: true, master: "sybr-100"),
        Link(name: "sybr-200", kind: .bridge, mtu: 1400, isUp: true),
        Link(name: "syvx-200", kind: vxlanKind(200), mtu: 1400, isUp: true, master: "sybr-200"),
    ]

    /// The FDB of `syvx-100` when `sw-a` is fully realized.
    static let realizedFDB: [FDBEntry] = [
        FDBEntry(mac: FDBEntry.floodMAC, device: "syvx-100", vtep: "198.18.0.2"),
        FDBEntry(mac: FDBEntry.floodMAC, device: "syvx-100", vtep: "198.18.0.3"),
        FDBEntry(mac: "02:00:00:00:00:0a", device: "syvx-100", vtep: "198.18.0.2"),
        FDBEntry(mac: "02:00:00:00:00:0b", device: "syvx-100", vtep: "198.18.0.3"),
    ]

    /// The ARP answers on `syvx-100` when `sw-a` is fully realized.
    static let realizedNeighbours: [Neighbour] = [
        Neighbour(ip: "10.0.0.10", mac: "02:00:00:00:00:0a", device: "syvx-100"),
        Neighbour(ip: "10.0.0.11", mac: "02:00:00:00:00:0b", device: "syvx-100"),
    ]

    static func replacing(_ name: String, with link: Link?, in links: [Link] = realizedLinks) -> [Link] {
        links.compactMap { $0.name == name ? link : $0 }
    }
}
