import Southbound

/// The `inet sy-policy` table that enforces a host's policies on bridged traffic (br_netfilter
/// hands bridged IP to the `inet` hooks, where `iifname` is the bridge). Routed traffic reaches a
/// port through its switch's bridge too, so both paths meet the same rules.
///
/// The tenant tier is flat: each allowed (port, peer, protocol, port range) is one element of a
/// handful of sets keyed `bridge . port address . peer address . protocol . port`, so a packet
/// costs a few hash lookups however many rules there are, and the kernel holds a fixed number of
/// sets (thousands of small named sets make `nft` loads quadratic in the kernel: 20,000 took
/// a minute here). Exact peers and single ports go to hash sets; prefixes and ranges to an
/// interval set. A port a tenant policy selects and nothing allows is dropped (`…_selected`).
/// The admin tier is ordered, so each port it selects gets a chain (reached by a verdict map)
/// whose rules name shared sets of peers: allow returns, deny drops, pass goes to the tenant tier.
///
/// Rules read the connection, not the packet: its source from the original tuple (`ct original ip
/// saddr`), its destination from the reply tuple (`ct reply ip saddr`: after DNAT, a service's
/// endpoint rather than its VIP, so a VIP is no way around an endpoint's policies), its port as
/// `th dport` of the original direction and `th sport` of replies; so a reply is judged as the
/// connection it belongs to. Every connection the rules accept is stamped with the ruleset's generation
/// (`ct mark`); later packets of a stamped connection pass at once. A new ruleset has a new
/// generation, so each open connection is judged once more by it: one it denies is cut. Each
/// switch's bridge has its own conntrack zone, so two tenants using the same addresses never share
/// a connection entry. Connections from a switch's gateway address are not judged: that is the
/// router instance on this host, whose only connections of its own are the health checks of
/// services' endpoints (anti-spoofing keeps ports from using the address), as Kubernetes exempts
/// the kubelet's probes.
///
/// ```
/// table inet sy-policy {
///   map zones { typeof iifname : ct zone; elements = { "sybr-100" : 100, … } }
///   set ingress_exact4 { type ifname . ipv4_addr . ipv4_addr . inet_proto . inet_service; … }
///   set ingress_proto4 { type ifname . ipv4_addr . ipv4_addr . inet_proto; … }       (any port)
///   set ingress_peer4 { type ifname . ipv4_addr . ipv4_addr; … }                     (any protocol)
///   set ingress_range4 { …; flags interval; … }                                      (prefixes, ranges)
///   set ingress_selected4 { type ifname . ipv4_addr; … }   … and egress_…, and …6 for IPv6
///   map ingress_admin4 { type ifname . ipv4_addr : verdict; elements = { … : goto i_… } }
///   set gateways { type ifname . ipv4_addr; elements = { "sybr-100" . 10.0.0.1, … } }
///   chain prerouting { type filter hook prerouting priority -300; ct zone set iifname map @zones }
///   chain forward { type filter hook forward priority 0; policy accept;
///     ct mark GENERATION accept; (neighbour discovery) accept; iifname . ct original ip saddr @gateways accept
///     jump egress; jump ingress; ct mark set GENERATION }
///   chain ingress { iifname . ct reply ip saddr vmap @ingress_admin4; …; goto ingress_tenant }
///   chain ingress_tenant { … @ingress_exact4 return; …; iifname . ct reply ip saddr @ingress_selected4 drop }
///   chain i_… { admin rules in order: return (allow), drop (deny), goto ingress_tenant (pass); goto ingress_tenant }
/// }
/// ```
enum PolicyRuleset {
    static let table = "sy-policy"

    struct Refusal: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The table as the agent writes it: whole, or (while its skeleton stays the same) by
    /// changing the elements of its flat sets.
    struct Ruleset: Equatable, Sendable {
        /// Everything but the elements of the flat sets; it names the table (its comment's hash).
        var skeleton: String
        /// Flat set name → its elements, sorted: the tenant tier's flows, the selected ports, and
        /// the generation (`generation`, `stamp`), which changes with any of them.
        var elements: [String: [String]]
        /// The whole table body, elements included.
        var body: String
    }

    /// The table body, or nil when the host enforces no policy.
    static func body(_ desired: HostState) throws(Refusal) -> String? {
        try ruleset(desired)?.body
    }

    /// The ruleset, or nil when the host enforces no policy; throws when a value from the wire is
    /// not one this generator can write into a ruleset.
    static func ruleset(_ desired: HostState) throws(Refusal) -> Ruleset? {
        guard let policy = desired.policy, !policy.groups.isEmpty else { return nil }
        for (name, set) in policy.sets { try validate(set, named: name) }
        var builder = Builder(sets: policy.sets)
        for (id, port) in desired.ports.sorted(by: { $0.key < $1.key }) {
            guard let rules = policy.portPolicy(port), let vni = desired.switches[port.switch]?.vni else { continue }
            builder.merge(try contribution(of: id, rules, port: port, vni: vni, sets: policy.sets))
        }
        return builder.ruleset(bridges: bridges(desired))
    }

    /// Refuses a set whose name or contents could not be written into a ruleset as they are:
    /// every set from the wire passes here before a part uses it.
    static func validate(_ set: AddressSet, named name: String) throws(Refusal) {
        guard isSetName(name) else { throw Refusal("a rule names the unknown policy set '\(name)'") }
        guard set.ipv4.allSatisfy({ IPv4Text.isAddress($0) || IPv4Text.isPrefix($0) }),
              set.ipv6.allSatisfy({ IPv6Text.isAddress($0) || IPv6Text.isPrefix($0) }) else {
            throw Refusal("the policy set '\(name)' holds something that is not an address or prefix")
        }
    }

    /// One port's part of the table: its elements, and its admin chain and map entries. `sets`
    /// have been validated (``validate(_:named:)``).
    static func contribution(of id: String, _ rules: PortPolicy, port: PortState, vni: Int,
                             sets: [String: AddressSet]) throws(Refusal) -> Builder {
        guard let suffix = chainSuffix(id) else { throw Refusal("the port id '\(id)' cannot name a chain") }
        let address = port.ip.split(separator: "/").first.map(String.init) ?? ""
        let address6 = port.ip6.flatMap { $0.split(separator: "/").first }.map { String($0).lowercased() }
        guard IPv4Text.isAddress(address), address6.map(IPv6Text.isAddress) ?? true else {
            throw Refusal("the port '\(id)' has an address that cannot be written into a ruleset")
        }
        let target = Target(bridge: "\"\(DeviceName.bridge(vni: vni))\"", ipv4: address, ipv6: address6, suffix: suffix)
        var builder = Builder(sets: sets)
        if let egress = rules.egress { try builder.add(egress, direction: .egress, target: target) }
        if let ingress = rules.ingress { try builder.add(ingress, direction: .ingress, target: target) }
        return builder
    }

    /// A generation mark from a digest: 32 bits, never 0 (the mark of connections never judged).
    static func generation(_ digest: UInt64) -> String {
        String(format: "0x%08x", UInt32(truncatingIfNeeded: digest ^ (digest >> 32)) | 1)
    }

    /// The `zones` map's elements: each bridge's conntrack zone.
    static func zones(_ desired: HostState) -> [String] {
        bridgeZones(desired).map { "\"\($0.bridge)\" : \($0.zone)" }
    }

    /// What the table needs of the host's bridges: their zones, and their switches' gateways.
    struct Bridges: Equatable, Sendable {
        var zones: [String] = []
        /// `"BRIDGE" . GATEWAY` of each switch: the router instance's own address there, the source
        /// of the health checks of services' endpoints (anti-spoofing keeps ports from using it).
        var gateways: [String] = []
    }

    static func bridges(_ desired: HostState) -> Bridges {
        Bridges(zones: zones(desired), gateways: desired.switches.values.filter { IPv4Text.isAddress($0.gateway) }
            .map { "\"\(DeviceName.bridge(vni: $0.vni))\" . \($0.gateway)" }.sorted())
    }

    /// A conntrack zone per bridge, by VNI: the VNI's low 16 bits, the next free one on a collision.
    static func bridgeZones(_ desired: HostState) -> [(bridge: String, zone: Int)] {
        var used: Set<Int> = []
        return desired.switches.values.sorted { $0.vni < $1.vni }.map { state in
            var zone = max(1, state.vni & 0xffff)
            while used.contains(zone) { zone = zone % 0xffff + 1 }
            used.insert(zone)
            return (DeviceName.bridge(vni: state.vni), zone)
        }
    }

    enum Direction: String {
        case egress, ingress

        /// The connection's ends as the rules see them: the source is the original tuple's, the
        /// destination the reply tuple's source, i.e. after DNAT — a service's endpoint, not its
        /// VIP, so a VIP is no way around the endpoint's policies. Without NAT both are the same.
        static func source(_ ip: String) -> String { "ct original \(ip) saddr" }
        static func destination(_ ip: String) -> String { "ct reply \(ip) saddr" }
        /// The end the rules are for, and the peer.
        func target(_ ip: String) -> String { self == .egress ? Self.source(ip) : Self.destination(ip) }
        func peer(_ ip: String) -> String { self == .egress ? Self.destination(ip) : Self.source(ip) }
        var chainPrefix: String { self == .egress ? "e" : "i" }
    }

    struct Target {
        let bridge: String
        let ipv4: String
        let ipv6: String?
        let suffix: String
    }

    /// The flat sets of one direction and family, by kind.
    enum FlatSet: String, CaseIterable {
        case exact, proto, peer, range, selected

        func type(_ address: String) -> String {
            switch self {
            case .exact, .range: "ifname . \(address) . \(address) . inet_proto . inet_service"
            case .proto: "ifname . \(address) . \(address) . inet_proto"
            case .peer: "ifname . \(address) . \(address)"
            case .selected: "ifname . \(address)"
            }
        }
    }

    /// `a` and 16 hex digits, as the compiler names sets.
    static func isSetName(_ name: String) -> Bool {
        name.count == 17 && name.first == "a" && name.dropFirst().allSatisfy { $0.isASCII && $0.isHexDigit }
    }

    /// The hex digits of a port id `pt-<16 hex>`.
    static func chainSuffix(_ id: String) -> String? {
        let digits = id.dropFirst(3)
        guard id.hasPrefix("pt-"), (1...16).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        return String(digits)
    }
}
