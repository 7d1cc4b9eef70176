import Southbound

extension PolicyRuleset {
    /// The elements, admin-tier maps and chains of a ruleset, built port by port (each port's part
    /// apart, merged into the host's); ``ruleset(bridges:generation:)`` writes the table from them.
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
    }
}
