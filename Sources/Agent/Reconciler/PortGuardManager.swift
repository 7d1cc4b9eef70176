import Kernel
import Southbound

/// Anti-spoofing: a workload may send only from its own MAC and addresses, and ARP only for them,
/// so it can neither pose as another workload on its switch nor poison its neighbours' ARP caches
/// (and, later, no policy that trusts a source address can be fooled). A port that is the next hop
/// of static routes is trusted for their destinations too: it routes for them. One table, `bridge
/// sy-portguard`, replaced whole; frames from anything that is not a port device (VXLAN, router
/// legs) pass untouched:
///
/// ```
/// set ports { type ifname; elements = { "sypt-…", … } }
/// set macs { type ifname . ether_addr; … }
/// set ipv4 { type ifname . ether_addr . ipv4_addr; … }
/// set ipv6 { type ifname . ether_addr . ipv6_addr; … }
/// set routed { type ifname . ether_addr . ipv4_addr; flags interval; … }   (next hops of static routes)
/// set routed6 { type ifname . ether_addr . ipv6_addr; flags interval; … }
/// chain prerouting { type filter hook prerouting priority -200; policy accept;
///     iifname != @ports accept
///     iifname . ether saddr != @macs drop
///     ether type ip iifname . ether saddr . ip saddr @ipv4 accept
///     ether type ip iifname . ether saddr . ip saddr @routed accept
///     ether type arp iifname . arp saddr ether . arp saddr ip @ipv4 accept
///     ether type arp iifname . arp saddr ether . arp saddr ip @routed accept   (its kernel ARPs from them)
///     ether type arp arp saddr ip 0.0.0.0 accept            (address probes)
///     ether type ip6 ip6 saddr { ::, fe80::/10 } accept      (DAD, neighbour discovery)
///     ether type ip6 iifname . ether saddr . ip6 saddr @ipv6 accept
///     ether type ip6 iifname . ether saddr . ip6 saddr @routed6 accept
///     drop }
/// ```
///
/// It runs before the ``PortManager``, so a new port's first frames already meet its rules.
public struct PortGuardManager: ReconcileManager {
    public let concern = "port-guards"
    static let table = "sy-portguard"
    private let writer = WholeBridgeTable(name: Self.table)

    public init() {}

    public func resyncStarts() async { await writer.resyncStarts() }

    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        let (body, refused) = Self.body(desired)
        var plan = try await writer.plan(body: body, host: desired.host.id, in: kernel)
        for (port, reason) in refused { plan.refuse(port, because: reason) }
        return plan
    }

    public static func plan(desired: HostState, observed: [NftablesTable]) -> Plan {
        let (body, refused) = body(desired)
        var plan = WholeBridgeTable.plan(name: table, body: body, host: desired.host.id, observed: observed)
        for (port, reason) in refused { plan.refuse(port, because: reason) }
        return plan
    }

    /// The table body for the host's ports (nil when it has none), and the ports left out because
    /// an address of theirs is not one this manager can write into a ruleset. A port left out is
    /// refused, so it is never created without its guard.
    static func body(_ desired: HostState) -> (body: String?, refused: [(String, String)]) {
        var devices: [String] = [], macs: [String] = [], ipv4: [String] = [], ipv6: [String] = []
        var routed: [String] = [], routed6: [String] = []
        var refused: [(String, String)] = []
        for (id, port) in desired.ports.sorted(by: { $0.key < $1.key }) {
            let device = DeviceName.port(id)
            let mac = port.mac.lowercased()
            let address = port.ip.split(separator: "/").first.map(String.init) ?? ""
            let address6 = port.ip6.flatMap { $0.split(separator: "/").first }.map { String($0).lowercased() }
            let prefixes = (port.routedSources ?? []).map { $0.lowercased() }
            let (prefixes6, prefixes4) = (prefixes.filter { $0.contains(":") }, prefixes.filter { !$0.contains(":") })
            guard NftablesTable.isValidName(device), MACText.isAddress(mac), IPv4Text.isAddress(address),
                  address6.map(IPv6Text.isAddress) ?? true, prefixes4.allSatisfy(IPv4Text.isPrefix), prefixes6.allSatisfy(IPv6Text.isPrefix) else {
                refused.append((id, "the port's MAC or addresses cannot be pinned on its device"))
                continue
            }
            let member = "\"\(device)\" . \(mac)"
            devices.append("\"\(device)\"")
            macs.append(member)
            ipv4.append("\(member) . \(address)")
            if let address6 { ipv6.append("\(member) . \(address6)") }
            routed += prefixes4.map { "\(member) . \($0)" }
            routed6 += prefixes6.map { "\(member) . \($0)" }
        }
        guard !devices.isEmpty else { return (nil, refused) }
        func set(_ name: String, _ type: String, _ elements: [String], flags: String = "") -> [String] {
            ["set \(name) { type \(type);\(flags)" + (elements.isEmpty ? "" : " elements = { \(elements.joined(separator: ", ")) };") + " }"]
        }
        let lines = set("ports", "ifname", devices) + set("macs", "ifname . ether_addr", macs)
            + set("ipv4", "ifname . ether_addr . ipv4_addr", ipv4) + set("ipv6", "ifname . ether_addr . ipv6_addr", ipv6)
            + set("routed", "ifname . ether_addr . ipv4_addr", routed, flags: " flags interval;")
            + set("routed6", "ifname . ether_addr . ipv6_addr", routed6, flags: " flags interval;") + [
                "chain prerouting { type filter hook prerouting priority -200; policy accept;",
                "  iifname != @ports accept",
                "  iifname . ether saddr != @macs drop",
                "  ether type ip iifname . ether saddr . ip saddr @ipv4 accept",
                "  ether type ip iifname . ether saddr . ip saddr @routed accept",
                "  ether type arp iifname . arp saddr ether . arp saddr ip @ipv4 accept",
                "  ether type arp iifname . arp saddr ether . arp saddr ip @routed accept",
                "  ether type arp arp saddr ip 0.0.0.0 accept",
                "  ether type ip6 ip6 saddr { ::, fe80::/10 } accept",
                "  ether type ip6 iifname . ether saddr . ip6 saddr @ipv6 accept",
                "  ether type ip6 iifname . ether saddr . ip6 saddr @routed6 accept",
                "  drop",
                "}",
            ]
        return (lines.joined(separator: "\n"), refused)
    }
}
