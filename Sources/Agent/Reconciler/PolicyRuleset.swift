import Southbound

/// The `inet sy-policy` table that enforces a host's policies on bridged traffic (br_netfilter
/// hands bridged IP to the `inet` hooks, where `iifname` is the bridge). Routed traffic reaches a
/// port through its switch's bridge too, so both paths meet the same rules. Per port and direction
/// a verdict map keyed by bridge and address jumps to the port's chain: the per-packet cost is one
/// lookup plus that port's own rules, however many rules other ports have. Peers are named sets
/// shared by every rule that uses them.
///
/// Rules read the connection's original tuple (`ct original …`), so a reply is judged as the
/// connection it belongs to. Every connection the rules accept is stamped with the ruleset's
/// generation (`ct mark`); later packets of a stamped connection pass at once. A new ruleset has a
/// new generation, so each open connection is judged once more by it: one it denies is cut.
/// Each switch's bridge has its own conntrack zone, so two tenants using the same addresses
/// never share a connection entry.
///
/// ```
/// table inet sy-policy {
///   map zones { typeof iifname : ct zone; elements = { "sybr-100" : 100, … } }
///   set a…_4 { type ipv4_addr; flags interval; elements = { … } }     (one per peer set and family)
///   map egress4 { type ifname . ipv4_addr : verdict; elements = { "sybr-100" . 10.0.0.2 : jump e_… } }
///   map ingress4 { … }   map egress6 { … }   map ingress6 { … }
///   chain prerouting { type filter hook prerouting priority -300; ct zone set iifname map @zones }
///   chain forward { type filter hook forward priority 0; policy accept;
///     ct mark GENERATION accept
///     (neighbour discovery) accept
///     iifname . ct original ip saddr vmap @egress4 …        (the source's egress)
///     iifname . ct original ip daddr vmap @ingress4 …       (the destination's ingress)
///     ct mark set GENERATION }
///   chain e_…  { admin rules in order: return (allow), drop (deny), goto et_… (pass); goto et_… }
///   chain et_… { tenant rules: return (allow); drop }
/// }
/// ```
enum PolicyRuleset {
    static let table = "sy-policy"

    /// The table body, or nil when the host enforces no policy; throws when a value from the wire
    /// is not one this generator can write into a ruleset.
    static func body(_ desired: HostState) throws(Refusal) -> String? {
        guard let policy = desired.policy, !policy.ports.isEmpty else { return nil }
        var lines: [String] = []
        var zones: [String] = []
        var used: Set<Int> = []
        for state in desired.switches.values.sorted(by: { $0.vni < $1.vni }) {
            var zone = max(1, state.vni & 0xffff)
            while used.contains(zone) { zone = zone % 0xffff + 1 }
            used.insert(zone)
            zones.append("\"\(DeviceName.bridge(vni: state.vni))\" : \(zone)")
        }
        lines.append("map zones { typeof iifname : ct zone;" + elements(zones) + " }")
        for (name, set) in policy.sets.sorted(by: { $0.key < $1.key }) {
            guard isSetName(name), set.ipv4.allSatisfy({ IPv4Text.isAddress($0) || IPv4Text.isPrefix($0) }),
                  set.ipv6.allSatisfy({ IPv6Text.isAddress($0) || IPv6Text.isPrefix($0) }) else {
                throw Refusal("the policy set '\(name)' holds something that is not an address or prefix")
            }
            lines.append("set \(name)_4 { type ipv4_addr; flags interval; auto-merge;" + elements(set.ipv4) + " }")
            lines.append("set \(name)_6 { type ipv6_addr; flags interval; auto-merge;" + elements(set.ipv6) + " }")
        }
        var maps: [String: [String]] = ["egress4": [], "egress6": [], "ingress4": [], "ingress6": []]
        var chains: [String] = []
        for (id, rules) in policy.ports.sorted(by: { $0.key < $1.key }) {
            guard let port = desired.ports[id], let vni = desired.switches[port.switch]?.vni else { continue }
            guard let suffix = chainSuffix(id) else { throw Refusal("the port id '\(id)' cannot name a chain") }
            let bridge = "\"\(DeviceName.bridge(vni: vni))\""
            let address = port.ip.split(separator: "/").first.map(String.init) ?? ""
            let address6 = port.ip6.flatMap { $0.split(separator: "/").first }.map { String($0).lowercased() }
            guard IPv4Text.isAddress(address), address6.map(IPv6Text.isAddress) ?? true else {
                throw Refusal("the port '\(id)' has an address that cannot be written into a ruleset")
            }
            for (direction, side) in [("egress", rules.egress), ("ingress", rules.ingress)] {
                guard let side else { continue }
                let (entry, sideChains) = try chainsFor(side, direction: direction, suffix: suffix, sets: policy.sets)
                chains += sideChains
                maps["\(direction)4", default: []].append("\(bridge) . \(address) : jump \(entry)")
                if let address6 { maps["\(direction)6", default: []].append("\(bridge) . \(address6) : jump \(entry)") }
            }
        }
        for name in ["egress4", "egress6", "ingress4", "ingress6"] {
            let type = name.hasSuffix("4") ? "ipv4_addr" : "ipv6_addr"
            lines.append("map \(name) { type ifname . \(type) : verdict;" + elements(maps[name] ?? []) + " }")
        }
        let generation = String(format: "0x%08x", UInt32(truncatingIfNeeded: StableHash.fnv1a(lines + chains)) | 1)
        lines += [
            "chain prerouting { type filter hook prerouting priority -300; policy accept;",
            "  ct zone set iifname map @zones",
            "}",
            "chain forward { type filter hook forward priority 0; policy accept;",
            "  ct mark \(generation) accept",
            "  icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert, nd-redirect } accept",
            "  iifname . ct original ip saddr vmap @egress4",
            "  iifname . ct original ip6 saddr vmap @egress6",
            "  iifname . ct original ip daddr vmap @ingress4",
            "  iifname . ct original ip6 daddr vmap @ingress6",
            "  ct mark set \(generation)",
            "}",
        ]
        return (lines + chains).joined(separator: "\n")
    }

    struct Refusal: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The entry chain of one direction of one port and the chains it needs.
    private static func chainsFor(_ side: DirectionPolicy, direction: String, suffix: String,
                                  sets: [String: AddressSet]) throws(Refusal) -> (String, [String]) {
        let prefix = direction == "egress" ? "e" : "i"
        let adminChain = "\(prefix)_\(suffix)", tenantChain = "\(prefix)t_\(suffix)"
        var chains: [String] = []
        if let tenant = side.tenant {
            var body: [String] = []
            for rule in tenant { body += try ruleLines(rule, direction: direction, verdict: "return", sets: sets) }
            chains.append(chain(tenantChain, body + ["drop"]))
        }
        guard !side.admin.isEmpty else { return (side.tenant == nil ? adminChain : tenantChain, chains) }
        let afterAdmin = side.tenant == nil ? "return" : "goto \(tenantChain)"
        var body: [String] = []
        for rule in side.admin {
            let verdict = switch rule.action {
            case .allow: "return"
            case .deny: "drop"
            case .pass: afterAdmin
            }
            body += try ruleLines(rule, direction: direction, verdict: verdict, sets: sets)
        }
        chains.append(chain(adminChain, body + (side.tenant == nil ? [] : [afterAdmin])))
        return (adminChain, chains)
    }

    private static func chain(_ name: String, _ rules: [String]) -> String {
        (["chain \(name) {"] + rules.map { "  " + $0 } + ["}"]).joined(separator: "\n")
    }

    /// One rule as nft rules: one per address family its peers have and per protocol it names.
    private static func ruleLines(_ rule: CompiledRule, direction: String, verdict: String,
                                  sets: [String: AddressSet]) throws(Refusal) -> [String] {
        let field = direction == "egress" ? "daddr" : "saddr"
        var peers: [String] = [""]
        if let name = rule.peers {
            guard let set = sets[name], isSetName(name) else { throw Refusal("a rule names the unknown policy set '\(name)'") }
            peers = (set.ipv4.isEmpty ? [] : ["ct original ip \(field) @\(name)_4 "]) + (set.ipv6.isEmpty ? [] : ["ct original ip6 \(field) @\(name)_6 "])
        }
        var protocols: [String] = []
        for match in rule.ports.isEmpty ? [PortMatch(protocol: "any")] : rule.ports {
            switch match.protocol {
            case "any": protocols.append("")
            case "icmp": protocols.append("meta l4proto { icmp, ipv6-icmp } ")
            case "tcp", "udp":
                var text = "meta l4proto \(match.protocol) "
                if let from = match.from, let to = match.to {
                    guard (1...65_535).contains(from), (from...65_535).contains(to) else { throw Refusal("a rule names the port range \(from)-\(to)") }
                    text += "ct original proto-dst " + (from == to ? "\(from) " : "\(from)-\(to) ")
                }
                protocols.append(text)
            default:
                throw Refusal("a rule names the protocol '\(match.protocol)'")
            }
        }
        return peers.flatMap { peer in protocols.map { peer + $0 + verdict } }
    }

    private static func elements(_ items: [String]) -> String {
        items.isEmpty ? "" : " elements = { \(items.joined(separator: ", ")) };"
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
