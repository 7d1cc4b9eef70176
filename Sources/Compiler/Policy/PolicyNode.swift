import Northbound
import Southbound

/// The policies one host enforces: for each policy group of its ports that some policy selects,
/// the rule lists of the policies selecting it (per direction), with their peers as named address
/// sets. Rules whose peers cover no address are left out: they can match nothing.
struct PolicyNode {
    let view: PolicyView

    /// `groups`: one port of each policy group on the host, by group; any one stands for all.
    func policyState(for groups: [String: Port]) -> PolicyState? {
        var result = PolicyState()
        for (group, port) in groups {
            let (admin, tenant) = view.policies(selecting: port)
            for policy in admin + tenant { add(policy, for: port, group: group, to: &result) }
        }
        return result.groups.isEmpty ? nil : result
    }

    /// Adds the lists of `policy`, which selects `port` and so its `group`, for both directions.
    func add(_ policy: NetworkPolicy, for port: Port, group: String, to result: inout PolicyState) {
        for direction in [PolicyDirection.ingress, .egress] {
            guard let compiled = view.ruleList(of: policy, direction, target: port) else { continue }
            if result.ruleLists[compiled.name] == nil { result.ruleLists[compiled.name] = compiled.list }
            result.groups[group, default: []].insert(compiled.name)
            for (name, set) in compiled.sets where result.sets[name] == nil { result.sets[name] = set }
        }
    }
}

/// One policy's rule list for one direction as a target is subject to it, named, with the sets its
/// rules use.
struct CompiledList {
    let name: String
    let list: RuleList
    let sets: [String: AddressSet]

    init?(_ policy: NetworkPolicy, _ direction: PolicyDirection, target: Port, view: PolicyView) {
        guard let rules = direction == .ingress ? policy.ingress : policy.egress else { return nil }
        var sets: [String: AddressSet] = [:]
        let compiled = rules.compactMap { rule -> CompiledRule? in
            var setName: String?
            if let peers = view.peers(of: rule, in: policy, direction: direction, target: target) {
                guard !peers.ipv4.isEmpty || !peers.ipv6.isEmpty else { return nil }
                let name = Self.setName(peers)
                sets[name] = peers
                setName = name
            }
            let action: CompiledRule.Action = switch rule.effectiveAction {
            case .allow: .allow
            case .deny: .deny
            case .pass: .pass
            }
            return CompiledRule(action: action, peers: setName, ports: (rule.ports ?? []).map(\.match), policy: policy.id)
        }
        // An admin list without rules decides nothing; a tenant list governs its direction even empty.
        if policy.tier == .admin, compiled.isEmpty { return nil }
        list = RuleList(policy: policy.id, direction: direction == .ingress ? .ingress : .egress,
                        priority: policy.tier == .admin ? policy.priority : nil, rules: compiled)
        name = list.name
        self.sets = sets
    }

    /// Named by content, so every rule with the same peers shares one set.
    static func setName(_ set: AddressSet) -> String {
        StableHash.name("a", of: set.ipv4 + ["/"] + set.ipv6)
    }
}
