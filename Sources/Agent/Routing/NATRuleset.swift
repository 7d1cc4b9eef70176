import Kernel
import Southbound

/// The NAT table of a router's edge instance, as nftables text for its namespace: external
/// services balanced over their endpoints (one verdict map keyed by address, protocol and port, a
/// chain per service port as in ``LoadBalancerRuleset``), floating IPs as 1:1 DNAT in and SNAT out
/// through maps, then the router's subnets source-NATed to the uplink address when SNAT is on. Only
/// traffic through the uplink is translated. An endpoint's reply comes back through the transit
/// segment from the router instance on the endpoint's host and is translated back here.
///
/// The same table guards the uplink: the external network is shared by every tenant's router, so
/// from it the edge forwards only what NAT created — connections to a floating IP (DNAT) and
/// replies of connections that went out — and the router itself answers only replies and pings
/// of its uplink address. A packet from outside that claims a source inside the router's own
/// subnets is forged (routers run without reverse-path filtering) and dropped first. A packet sent to a tenant's private address through its uplink (a
/// static route of another tenant, a host on the corporate network) is dropped. Router
/// namespaces run without IPv6, so the `ip` family covers all they route.
///
/// ```
/// map services { type ipv4_addr . inet_proto . inet_service : verdict; elements = { 203.0.113.20 . tcp . 80 : goto x_… } }
/// map floating-in { type ipv4_addr : ipv4_addr; elements = { 203.0.113.50 : 10.0.0.5 } }
/// map floating-out { type ipv4_addr : ipv4_addr; elements = { 10.0.0.5 : 203.0.113.50 } }
/// set internal { type ipv4_addr; flags interval; elements = { 10.0.0.0/24 } }
/// chain prerouting { type nat hook prerouting priority dstnat; policy accept;
///     iifname "uplink" ip daddr . meta l4proto . th dport vmap @services
///     iifname "uplink" dnat to ip daddr map @floating-in }
/// chain x_… { meta l4proto tcp dnat ip to numgen random mod 3 map { 0 : 10.0.0.5 . 8080, … }; }
/// chain postrouting { type nat hook postrouting priority srcnat; policy accept;
///     oifname "uplink" snat to ip saddr map @floating-out
///     oifname "uplink" ip saddr @internal snat to 203.0.113.10 }
/// chain guard-forward { type filter hook forward priority filter; policy accept;
///     iifname "uplink" ip saddr @internal drop
///     iifname "uplink" ct state established,related accept
///     iifname "uplink" ct status dnat accept
///     iifname "uplink" drop }
/// chain guard-input { type filter hook input priority filter; policy accept;
///     iifname "uplink" ip saddr @internal drop
///     iifname "uplink" ct state established,related accept
///     iifname "uplink" ip daddr 203.0.113.10 icmp type echo-request accept
///     iifname "uplink" drop }
/// ```
public enum NATRuleset {
    public static let table = "sy-nat"

    /// The table body for `edge` and the router's external `services` (by id), or nil when an
    /// address in them is not an IPv4 address or prefix, or a service port is not a TCP or UDP one.
    public static func body(_ edge: EdgeRouterState, services: [String: ServiceState] = [:]) -> String? {
        let floating = edge.floatingIPs.map { ($0.external, PortManager.split($0.internal).0) }
        let addresses = [edge.uplinkIp] + floating.flatMap { [$0.0, $0.1] }
        guard addresses.allSatisfy(IPv4Text.isAddress), edge.internalCIDRs.allSatisfy(IPv4Text.isPrefix) else { return nil }
        var balanced: [String] = [], chains: [String] = []
        for (id, service) in services.sorted(by: { $0.key < $1.key }) {
            guard let external = service.externalIp, (try? LoadBalancerRuleset.check(service, id: id)) != nil else { return nil }
            for port in service.ports {
                let chain = StableHash.name("x_", of: [id, port.protocol, String(port.port)])
                chains.append("chain \(chain) { \(LoadBalancerRuleset.dnat(service, port)) }")
                balanced.append("\(external) . \(port.protocol) . \(port.port) : goto \(chain)")
            }
        }
        func elements(_ items: [String]) -> String { items.isEmpty ? "" : " elements = { \(items.joined(separator: ", ")) };" }
        var lines = [
            "map services { type ipv4_addr . inet_proto . inet_service : verdict;\(elements(balanced)) }",
            "map floating-in { type ipv4_addr : ipv4_addr;\(elements(floating.map { "\($0.0) : \($0.1)" })) }",
            "map floating-out { type ipv4_addr : ipv4_addr;\(elements(floating.map { "\($0.1) : \($0.0)" })) }",
            "set internal { type ipv4_addr; flags interval;\(elements(edge.internalCIDRs)) }",
            "chain prerouting { type nat hook prerouting priority dstnat; policy accept;",
            "  iifname \"\(DeviceName.uplink)\" ip daddr . meta l4proto . th dport vmap @services",
            "  iifname \"\(DeviceName.uplink)\" dnat to ip daddr map @floating-in",
            "}",
            "chain postrouting { type nat hook postrouting priority srcnat; policy accept;",
            "  oifname \"\(DeviceName.uplink)\" snat to ip saddr map @floating-out",
        ]
        if edge.snat { lines.append("  oifname \"\(DeviceName.uplink)\" ip saddr @internal snat to \(edge.uplinkIp)") }
        let uplink = "iifname \"\(DeviceName.uplink)\""
        lines += [
            "}",
            "chain guard-forward { type filter hook forward priority filter; policy accept;",
            "  \(uplink) ip saddr @internal drop",
            "  \(uplink) ct state established,related accept",
            "  \(uplink) ct status dnat accept",
            "  \(uplink) drop",
            "}",
            "chain guard-input { type filter hook input priority filter; policy accept;",
            "  \(uplink) ip saddr @internal drop",
            "  \(uplink) ct state established,related accept",
            "  \(uplink) ip daddr \(edge.uplinkIp) icmp type echo-request accept",
            "  \(uplink) drop",
            "}",
        ]
        return (lines + chains).joined(separator: "\n")
    }
}

extension NftablesTable {
    /// The table named `name` in `family`, with a comment that identifies `body`: a table whose
    /// comment matches holds this body, and needs no write.
    static func identifying(_ body: String, family: NftablesFamily, name: String) -> NftablesTable {
        NftablesTable(family: family, name: name, comment: "fnv1a:" + String(StableHash.fnv1a(body), radix: 16))
    }
}
