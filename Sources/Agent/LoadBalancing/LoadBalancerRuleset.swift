import Kernel
import Southbound

/// The `ip sy-lb` table that load-balances a host's services on bridged traffic, in the agent's
/// namespace (br_netfilter hands bridged IPv4 to the `ip` hooks, where `iifname` is the bridge).
///
/// Why there and not in the router's namespace: the router is distributed, so an endpoint's reply
/// is routed by the router instance on the endpoint's host and never meets the client host's
/// router again. Both directions of a connection do cross the client's switch bridge on the
/// client's host, so the connection is tracked there, in that bridge's conntrack zone (the same
/// zones as ``PolicyRuleset``): the reply is translated back to the VIP wherever it comes from.
///
/// One verdict map keyed by bridge, VIP, protocol and port sends a connection's first packet to its
/// service port's chain, which picks an endpoint with `numgen` (random, round-robin) or `jhash`
/// (source hash) from an anonymous map: a packet costs one lookup however many services there are,
/// and the choice is made once per connection (NAT runs only for a connection's first packet). A
/// VIP is reachable only from the bridges of its router's switches, so another tenant's workloads
/// never match. An external service's address is balanced here too, so the router's own
/// workloads reach it without a trip to the edge (whose table balances only the uplink's traffic). A client that is its own chosen endpoint gets the connection source-NATed to the
/// VIP (`hairpin` set), since a host drops packets that come from its own address.
///
/// ```
/// table ip sy-lb {
///   map zones { typeof iifname : ct zone; elements = { "sybr-100" : 100, … } }
///   map vips { type ifname . ipv4_addr . inet_proto . inet_service : verdict;
///              elements = { "sybr-100" . 10.96.0.10 . tcp . 80 : goto s_… } }
///   set hairpin { type ipv4_addr . ipv4_addr; elements = { 10.0.0.5 . 10.0.0.5 } }
///   chain zone { type filter hook prerouting priority -300; policy accept; ct zone set iifname map @zones; }
///   chain vips { type nat hook prerouting priority dstnat; policy accept; iifname . ip daddr . meta l4proto . th dport vmap @vips; }
///   chain hairpin { type nat hook postrouting priority srcnat; policy accept;
///                   ct status dnat ip saddr . ip daddr @hairpin snat ip to ct original ip daddr; }
///   chain s_… { meta l4proto tcp dnat ip to numgen random mod 3 map { 0 : 10.0.0.5 . 8080, … }; }
/// }
/// ```
enum LoadBalancerRuleset {
    static let table = "sy-lb"

    /// A bridge whose workloads are clients of a service: its switch and the router's gateway MAC there.
    struct ClientBridge: Hashable, Sendable {
        var `switch`: String
        var bridge: String
        var gatewayMAC: String
    }

    /// The bridges of the service's router's switches present on this host.
    static func clientBridges(of service: ServiceState, in desired: HostState) -> [ClientBridge] {
        guard let router = desired.routers[service.router] else { return [] }
        return router.interfaces.compactMap { leg in
            desired.switches[leg.switch].map { ClientBridge(switch: leg.switch, bridge: DeviceName.bridge(vni: $0.vni), gatewayMAC: leg.mac) }
        }.sorted { $0.bridge < $1.bridge }
    }

    /// The table body, nil when the host has no service; throws when a value is not what a
    /// ruleset may hold (an address that is not IPv4, a port out of range, an unknown protocol).
    static func body(_ desired: HostState) throws(PolicyRuleset.Refusal) -> String? {
        let services = desired.balancedServices
        guard !services.isEmpty else { return nil }
        var vips: [String] = [], chains: [String] = [], hairpin: Set<String> = []
        for (id, service) in services.sorted(by: { $0.key < $1.key }) {
            try check(service, id: id)
            let bridges = clientBridges(of: service, in: desired)
            for port in service.ports {
                let chain = StableHash.name("s_", of: [id, port.protocol, String(port.port)])
                chains.append("chain \(chain) { \(dnat(service, port)) }")
                for bridge in bridges {
                    for address in [service.vip, service.externalIp].compactMap(\.self) {
                        vips.append("\"\(bridge.bridge)\" . \(address) . \(port.protocol) . \(port.port) : goto \(chain)")
                    }
                }
            }
            for endpoint in service.endpoints where desired.ports[endpoint.port] != nil {
                hairpin.insert("\(endpoint.ip) . \(endpoint.ip)")
            }
        }
        func elements(_ items: [String]) -> String { items.isEmpty ? "" : " elements = { \(items.joined(separator: ", ")) };" }
        return ([
            "map zones { typeof iifname : ct zone;\(elements(PolicyRuleset.zones(desired))) }",
            "map vips { type ifname . ipv4_addr . inet_proto . inet_service : verdict;\(elements(vips)) }",
            "set hairpin { type ipv4_addr . ipv4_addr;\(elements(hairpin.sorted())) }",
            "chain zone { type filter hook prerouting priority -300; policy accept; ct zone set iifname map @zones; }",
            "chain vips { type nat hook prerouting priority dstnat; policy accept; iifname . ip daddr . meta l4proto . th dport vmap @vips; }",
            "chain hairpin { type nat hook postrouting priority srcnat; policy accept;",
            "  ct status dnat ip saddr . ip daddr @hairpin snat ip to ct original ip daddr; }",
        ] + chains).joined(separator: "\n")
    }

    /// The rule that picks an endpoint for a new connection to `port`; drop when there is none.
    static func dnat(_ service: ServiceState, _ port: ServicePortState) -> String {
        let endpoints = service.endpoints
        guard !endpoints.isEmpty else { return "drop;" }
        let choice: String
        switch service.algorithm {
        case .random: choice = "numgen random mod \(endpoints.count)"
        case .roundRobin: choice = "numgen inc mod \(endpoints.count)"
        case .sourceHash: choice = "jhash ip saddr mod \(endpoints.count)"
        }
        let targets = endpoints.enumerated().map { "\($0.offset) : \($0.element.ip) . \(port.targetPort)" }
        return "meta l4proto \(port.protocol) dnat ip to \(choice) map { \(targets.joined(separator: ", ")) };"
    }

    static func check(_ service: ServiceState, id: String) throws(PolicyRuleset.Refusal) {
        if let vip = service.vip, !IPv4Text.isAddress(vip) { throw .init("service \(id): VIP \(vip) is not an IPv4 address") }
        if let external = service.externalIp, !IPv4Text.isAddress(external) {
            throw .init("service \(id): external address \(external) is not an IPv4 address")
        }
        for port in service.ports {
            guard ["tcp", "udp"].contains(port.protocol), (1...65535).contains(port.port), (1...65535).contains(port.targetPort) else {
                throw .init("service \(id): port \(port.protocol) \(port.port)→\(port.targetPort) is not a TCP or UDP port pair")
            }
        }
        for endpoint in service.endpoints {
            guard IPv4Text.isAddress(endpoint.ip), MACText.isAddress(endpoint.mac) else {
                throw .init("service \(id): endpoint \(endpoint.ip) \(endpoint.mac) is not an IPv4 address and a MAC")
            }
        }
    }
}
