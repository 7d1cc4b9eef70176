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

    struct Builder {
        let sets: [String: AddressSet]
        /// `egress_exact4` … → elements.
        var elements: [String: Set<String>] = [:]
        var adminMaps: [String: [String]] = [:]
        var adminChains: [String] = []
        var adminSets: Set<String> = []

        init(sets: [String: AddressSet]) {
            self.sets = sets
        }

        /// Adds another port's part.
        mutating func merge(_ other: Builder) {
            for (name, members) in other.elements { elements[name, default: []].formUnion(members) }
            for (name, entries) in other.adminMaps { adminMaps[name, default: []] += entries }
            adminChains += other.adminChains
            adminSets.formUnion(other.adminSets)
        }

        var hasAdmin: Bool { !adminChains.isEmpty }

        mutating func add(_ side: DirectionPolicy, direction: Direction, target: Target) throws(Refusal) {
            if let tenant = side.tenant {
                insert(.selected, direction, 4, "\(target.bridge) . \(target.ipv4)")
                if let ipv6 = target.ipv6 { insert(.selected, direction, 6, "\(target.bridge) . \(ipv6)") }
                for rule in tenant { try addTenant(rule, direction: direction, target: target) }
            }
            guard !side.admin.isEmpty else { return }
            let chain = "\(direction.chainPrefix)_\(target.suffix)"
            adminMaps["\(direction.rawValue)_admin4", default: []].append("\(target.bridge) . \(target.ipv4) : goto \(chain)")
            if let ipv6 = target.ipv6 { adminMaps["\(direction.rawValue)_admin6", default: []].append("\(target.bridge) . \(ipv6) : goto \(chain)") }
            let tenantChain = "\(direction.rawValue)_tenant"
            let onward = side.tenant == nil ? "return" : "goto \(tenantChain)"
            var lines: [String] = []
            for rule in side.admin {
                let verdict = switch rule.action {
                case .allow: "return"
                case .deny: "drop"
                case .pass: onward
                }
                lines += try adminLines(rule, direction: direction, verdict: verdict)
            }
            adminChains.append((["chain \(chain) {"] + (lines + [onward]).map { "  " + $0 } + ["}"]).joined(separator: "\n"))
        }

        private mutating func insert(_ kind: FlatSet, _ direction: Direction, _ family: Int, _ element: String) {
            elements["\(direction.rawValue)_\(kind.rawValue)\(family)", default: []].insert(element)
        }

        /// One allow rule of the tenant tier as elements: per family its peers (none: any
        /// address), per peer each protocol and port range it names (none: any).
        private mutating func addTenant(_ rule: CompiledRule, direction: Direction, target: Target) throws(Refusal) {
            let peerSet = try rule.peers.map { name throws(Refusal) in try self.peerSet(name) }
            let matches = try rule.ports.isEmpty ? [nil] : rule.ports.map { match throws(Refusal) in try Self.checked(match) }
            for (family, targetAddress) in [(4, Optional(target.ipv4)), (6, target.ipv6)] {
                guard let targetAddress else { continue }
                let peers = peerSet.map { family == 4 ? $0.ipv4 : $0.ipv6 } ?? [family == 4 ? "0.0.0.0/0" : "::/0"]
                for peer in peers {
                    let exact = Self.exactAddress(peer, family: family)
                    let key = "\(target.bridge) . \(targetAddress) . \(exact ?? peer)"
                    for match in matches {
                        let proto = match.map { $0.protocol == "icmp" ? (family == 4 ? "icmp" : "ipv6-icmp") : $0.protocol } ?? "any"
                        switch (exact, proto, match?.from, match?.to) {
                        case (.some, "any", _, _): insert(.peer, direction, family, key)
                        case (.some, _, let from?, let to?) where from == to: insert(.exact, direction, family, "\(key) . \(proto) . \(from)")
                        case (.some, _, nil, _): insert(.proto, direction, family, "\(key) . \(proto)")
                        case (_, "any", _, _): insert(.range, direction, family, "\(key) . 0-255 . 0-65535")
                        default:
                            let ports = match?.from.map { from in "\(from)-\(match?.to ?? from)" } ?? "0-65535"
                            insert(.range, direction, family, "\(key) . \(proto) . \(ports)")
                        }
                    }
                }
            }
        }

        /// An admin rule as nft rules: one per address family its peers have and per protocol.
        private mutating func adminLines(_ rule: CompiledRule, direction: Direction, verdict: String) throws(Refusal) -> [String] {
            var peers: [String] = [""]
            if let name = rule.peers {
                let set = try peerSet(name)
                adminSets.insert(name)
                peers = (set.ipv4.isEmpty ? [] : ["\(direction.peer("ip")) @\(name)_4 "])
                    + (set.ipv6.isEmpty ? [] : ["\(direction.peer("ip6")) @\(name)_6 "])
            }
            var protocols: [String] = []
            for match in rule.ports.isEmpty ? [PortMatch(protocol: "any")] : rule.ports {
                let match = try Self.checked(match)
                switch match.protocol {
                case "any": protocols.append("")
                case "icmp": protocols.append("meta l4proto { icmp, ipv6-icmp } ")
                default:
                    guard let from = match.from, let to = match.to else {
                        protocols.append("meta l4proto \(match.protocol) ")
                        continue
                    }
                    let range = from == to ? "\(from)" : "\(from)-\(to)"
                    protocols.append("meta l4proto \(match.protocol) ct direction original th dport \(range) ")
                    protocols.append("meta l4proto \(match.protocol) ct direction reply th sport \(range) ")
                }
            }
            return peers.flatMap { peer in protocols.map { peer + $0 + verdict } }
        }

        private func peerSet(_ name: String) throws(Refusal) -> AddressSet {
            guard let set = sets[name] else { throw Refusal("a rule names the unknown policy set '\(name)'") }
            return set
        }

        static func checked(_ match: PortMatch) throws(Refusal) -> PortMatch {
            switch match.protocol {
            case "any", "icmp":
                return PortMatch(protocol: match.protocol)
            case "tcp", "udp":
                if let from = match.from, let to = match.to, !((1...65_535).contains(from) && (from...65_535).contains(to)) {
                    throw Refusal("a rule names the port range \(from)-\(to)")
                }
                return match
            default:
                throw Refusal("a rule names the protocol '\(match.protocol)'")
            }
        }

        /// The address of a host prefix (`10.0.0.5`, `10.0.0.5/32`), nil for a wider prefix.
        static func exactAddress(_ peer: String, family: Int) -> String? {
            guard let slash = peer.firstIndex(of: "/") else { return peer }
            return peer[peer.index(after: slash)...] == (family == 4 ? "32" : "128") ? String(peer[..<slash]) : nil
        }

        /// This port part's digest: what its elements are, in a number.
        var digest: UInt64 {
            elements.keys.sorted().reduce(0) { hash, name in hash ^ StableHash.fnv1a([name] + (elements[name] ?? []).sorted()) }
        }

        /// The table; `generation` (`0x…`) replaces the one derived from the contents.
        func ruleset(bridges: Bridges, generation fixed: String? = nil) -> Ruleset {
            // Lines, with each flat set as its name: written with or without its elements.
            var lines: [Line] = [.text("map zones { typeof iifname : ct zone;" + elementsText(bridges.zones) + " }"),
                                 .text("set gateways { type ifname . ipv4_addr;" + elementsText(bridges.gateways) + " }")]
            for name in adminSets.sorted() {
                let set = sets[name] ?? AddressSet()
                lines.append(.text("set \(name)_4 { type ipv4_addr; flags interval; auto-merge;" + elementsText(set.ipv4) + " }"))
                lines.append(.text("set \(name)_6 { type ipv6_addr; flags interval; auto-merge;" + elementsText(set.ipv6) + " }"))
            }
            var flat: [String: (keyword: String, header: String, elements: [String])] = [
                "generation": ("set", "type mark;", []), "stamp": ("map", "type nf_proto : mark;", []),
            ]
            var tenantRules: [Direction: [String]] = [:], drops: [Direction: [String]] = [:]
            for direction in [Direction.egress, .ingress] {
                for family in [4, 6] {
                    let ip = family == 4 ? "ip" : "ip6", address = family == 4 ? "ipv4_addr" : "ipv6_addr"
                    let target = "iifname . \(direction.target(ip))"
                    let pair = "\(target) . \(direction.peer(ip))"
                    for kind in FlatSet.allCases {
                        let name = "\(direction.rawValue)_\(kind.rawValue)\(family)"
                        // Sorted only when the generation derives from them (they are hashed in order).
                        let members = fixed == nil ? (elements[name] ?? []).sorted() : Array(elements[name] ?? [])
                        flat[name] = ("set", "type \(kind.type(address));" + (kind == .range ? " flags interval;" : ""), members)
                        lines.append(.flat(name))
                        guard !members.isEmpty else { continue }
                        let rules: [String] = switch kind {
                        case .exact, .range: [
                            "ct direction original \(pair) . meta l4proto . th dport @\(name) return",
                            "ct direction reply \(pair) . meta l4proto . th sport @\(name) return",
                        ]
                        case .proto: ["\(pair) . meta l4proto @\(name) return"]
                        case .peer: ["\(pair) @\(name) return"]
                        case .selected: []
                        }
                        tenantRules[direction, default: []] += rules
                    }
                    if !(elements["\(direction.rawValue)_selected\(family)"] ?? []).isEmpty {
                        drops[direction, default: []].append("\(target) @\(direction.rawValue)_selected\(family) drop")
                    }
                    let admin = adminMaps["\(direction.rawValue)_admin\(family)"] ?? []
                    lines.append(.text("map \(direction.rawValue)_admin\(family) { type ifname . \(address) : verdict;" + elementsText(admin) + " }"))
                }
            }
            var chains = adminChains
            for direction in [Direction.egress, .ingress] {
                let entry = ["iifname . \(direction.target("ip")) vmap @\(direction.rawValue)_admin4",
                             "iifname . \(direction.target("ip6")) vmap @\(direction.rawValue)_admin6",
                             "goto \(direction.rawValue)_tenant"]
                chains.append(chain(direction.rawValue, entry))
                chains.append(chain("\(direction.rawValue)_tenant", (tenantRules[direction] ?? []) + (drops[direction] ?? [])))
            }
            lines += [.flat("generation"), .flat("stamp")]
            lines += [
                "chain prerouting { type filter hook prerouting priority -300; policy accept;",
                "  ct zone set iifname map @zones",
                "}",
                "chain forward { type filter hook forward priority 0; policy accept;",
                "  ct mark @generation accept",
                "  icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert, nd-redirect } accept",
                "  iifname . ct original ip saddr @gateways accept",
                "  jump egress",
                "  jump ingress",
                "  ct mark set meta nfproto map @stamp",
                "}",
            ].map(Line.text)
            lines += chains.map(Line.text)

            func text(_ line: Line, elements: Bool) -> String {
                switch line {
                case .text(let text): return text
                case .flat(let name):
                    let entry = flat[name] ?? ("set", "", [])
                    return "\(entry.keyword) \(name) { \(entry.header)" + (elements ? elementsText(entry.elements) : "") + " }"
                }
            }
            let skeleton = lines.map { text($0, elements: false) }
            // The generation: a digest of everything the rules accept, so any change of it is a new one.
            let digest = flat.keys.sorted().reduce(StableHash.fnv1a(skeleton)) { hash, name in
                hash ^ StableHash.fnv1a([name] + (flat[name]?.elements ?? []))
            }
            let generation = fixed ?? PolicyRuleset.generation(digest)
            flat["generation"]?.elements = [generation]
            flat["stamp"]?.elements = ["ipv4 : \(generation)", "ipv6 : \(generation)"]
            return Ruleset(skeleton: skeleton.joined(separator: "\n"), elements: flat.mapValues(\.elements),
                           body: lines.map { text($0, elements: true) }.joined(separator: "\n"))
        }

        private enum Line {
            case text(String)
            case flat(String)
        }

        private func chain(_ name: String, _ rules: [String]) -> String {
            (["chain \(name) {"] + rules.map { "  " + $0 } + ["}"]).joined(separator: "\n")
        }

        private func elementsText(_ items: [String]) -> String {
            items.isEmpty ? "" : " elements = { \(items.joined(separator: ", ")) };"
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
