import Northbound
import Southbound

/// The policies one host enforces: for each local port some policy selects, per direction, the
/// admin tier's rules in order and the tenant tier's rules, with their peers as named address sets.
/// Rules whose peers cover no address are left out: they can match nothing.
struct PolicyNode {
    let view: PolicyView

    func policyState(for ports: [Port]) -> PolicyState? {
        var result = PolicyState()
        for port in ports {
            let (admin, tenant) = view.policies(selecting: port)
            guard !admin.isEmpty || !tenant.isEmpty else { continue }
            let policy = PortPolicy(ingress: direction(.ingress, of: port, admin: admin, tenant: tenant, sets: &result.sets),
                                    egress: direction(.egress, of: port, admin: admin, tenant: tenant, sets: &result.sets))
            if policy.ingress != nil || policy.egress != nil { result.ports[port.id] = policy }
        }
        return result.ports.isEmpty ? nil : result
    }

    private func direction(_ direction: PolicyDirection, of port: Port, admin: [NetworkPolicy], tenant: [NetworkPolicy],
                           sets: inout [String: AddressSet]) -> DirectionPolicy? {
        func rules(of policy: NetworkPolicy) -> [PolicyRule]? { direction == .ingress ? policy.ingress : policy.egress }
        func compiled(_ policies: [NetworkPolicy]) -> [CompiledRule] {
            policies.flatMap { policy in
                (rules(of: policy) ?? []).compactMap { rule in compile(rule, of: policy, direction, port, sets: &sets) }
            }
        }
        let governing = tenant.filter { rules(of: $0) != nil }
        let result = DirectionPolicy(admin: compiled(admin), tenant: governing.isEmpty ? nil : compiled(governing))
        return result.admin.isEmpty && result.tenant == nil ? nil : result
    }

    private func compile(_ rule: PolicyRule, of policy: NetworkPolicy, _ direction: PolicyDirection, _ port: Port,
                         sets: inout [String: AddressSet]) -> CompiledRule? {
        var setName: String?
        if let peers = view.peers(of: rule, in: policy, direction: direction, target: port) {
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

    /// Named by content, so every rule with the same peers shares one set.
    static func setName(_ set: AddressSet) -> String {
        let hash = StableHash.fnv1a(set.ipv4 + ["/"] + set.ipv6)
        let hex = String(hash, radix: 16)
        return "a" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
