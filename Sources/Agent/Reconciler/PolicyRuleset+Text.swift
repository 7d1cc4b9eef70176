import Southbound

/// The table text of a built ruleset: its sets, maps and chains, and the generation that stamps
/// the connections it accepts.
extension PolicyRuleset.Builder {
    /// The table; `generation` (`0x…`) replaces the one derived from the contents.
    func ruleset(bridges: PolicyRuleset.Bridges, generation fixed: String? = nil) -> PolicyRuleset.Ruleset {
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
        var tenantRules: [PolicyRuleset.Direction: [String]] = [:], drops: [PolicyRuleset.Direction: [String]] = [:]
        for direction in [PolicyRuleset.Direction.egress, .ingress] {
            for family in [4, 6] {
                let ip = family == 4 ? "ip" : "ip6", address = family == 4 ? "ipv4_addr" : "ipv6_addr"
                let target = "iifname . \(direction.target(ip))"
                let pair = "\(target) . \(direction.peer(ip))"
                for kind in PolicyRuleset.FlatSet.allCases {
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
        for direction in [PolicyRuleset.Direction.egress, .ingress] {
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
        return PolicyRuleset.Ruleset(skeleton: skeleton.joined(separator: "\n"), elements: flat.mapValues(\.elements),
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
