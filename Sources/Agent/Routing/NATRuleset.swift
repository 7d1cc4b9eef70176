import Kernel
import Southbound

/// The NAT table of a router's edge instance, as nftables text for its namespace: floating IPs as
/// 1:1 DNAT in and SNAT out through maps, then the router's subnets source-NATed to the uplink
/// address when SNAT is on. Only traffic through the uplink is translated.
///
/// ```
/// map floating-in { type ipv4_addr : ipv4_addr; elements = { 203.0.113.50 : 10.0.0.5 } }
/// map floating-out { type ipv4_addr : ipv4_addr; elements = { 10.0.0.5 : 203.0.113.50 } }
/// set internal { type ipv4_addr; flags interval; elements = { 10.0.0.0/24 } }
/// chain prerouting { type nat hook prerouting priority dstnat; policy accept;
///     iifname "uplink" dnat to ip daddr map @floating-in }
/// chain postrouting { type nat hook postrouting priority srcnat; policy accept;
///     oifname "uplink" snat to ip saddr map @floating-out
///     oifname "uplink" ip saddr @internal snat to 203.0.113.10 }
/// ```
public enum NATRuleset {
    public static let table = "sy-nat"

    /// The table body for `edge`, or nil when an address in it is not an IPv4 address or prefix.
    public static func body(_ edge: EdgeRouterState) -> String? {
        let floating = edge.floatingIPs.map { ($0.external, PortManager.split($0.internal).0) }
        let addresses = [edge.uplinkIp] + floating.flatMap { [$0.0, $0.1] }
        guard addresses.allSatisfy(IPv4Text.isAddress), edge.internalCIDRs.allSatisfy(IPv4Text.isPrefix) else { return nil }
        func elements(_ items: [String]) -> String { items.isEmpty ? "" : " elements = { \(items.joined(separator: ", ")) };" }
        var lines = [
            "map floating-in { type ipv4_addr : ipv4_addr;\(elements(floating.map { "\($0.0) : \($0.1)" })) }",
            "map floating-out { type ipv4_addr : ipv4_addr;\(elements(floating.map { "\($0.1) : \($0.0)" })) }",
            "set internal { type ipv4_addr; flags interval;\(elements(edge.internalCIDRs)) }",
            "chain prerouting { type nat hook prerouting priority dstnat; policy accept;",
            "  iifname \"\(DeviceName.uplink)\" dnat to ip daddr map @floating-in",
            "}",
            "chain postrouting { type nat hook postrouting priority srcnat; policy accept;",
            "  oifname \"\(DeviceName.uplink)\" snat to ip saddr map @floating-out",
        ]
        if edge.snat { lines.append("  oifname \"\(DeviceName.uplink)\" ip saddr @internal snat to \(edge.uplinkIp)") }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}

extension NftablesTable {
    /// The table named `name` in `family`, with a comment that identifies `body`: a table whose
    /// comment matches holds this body, and needs no write.
    static func identifying(_ body: String, family: NftablesFamily, name: String) -> NftablesTable {
        NftablesTable(family: family, name: name, comment: "fnv1a:" + String(StableHash.fnv1a(body), radix: 16))
    }
}
