import Northbound
import Southbound

/// Answers whether a connection is allowed with the same view and the same peer sets the compiler
/// gives the hosts, so an explanation and the kernel agree: the source's egress is decided with the
/// destination address it sends to, the destination's ingress with the source address it receives
/// from (its own address within a tenant, its external address across tenants).
public struct PolicyEvaluator {
    let view: PolicyView
    /// Service id → the endpoints (port ids) failing their health checks: hosts send them nothing.
    let unhealthy: [String: Set<String>]

    public init(state: DesiredState, unhealthy: [String: Set<String>] = [:]) {
        view = PolicyView(state: state, index: TopologyIndex(state))
        self.unhealthy = unhealthy
    }

    /// `to` is a port id or an address; the source port must exist.
    public func reachability(from sourceID: String, to target: String, protocol packetProtocol: TraceProtocol, port: Int?) -> Reachability {
        let state = view.state
        guard let source = state.ports[sourceID] else { preconditionFailure("the caller checks the source port") }
        let targetPort = state.ports[target]
        if targetPort == nil, let (service, servicePort) = balancedService(at: target, for: source, protocol: packetProtocol, port: port) {
            return reachability(from: source, to: service, at: target, servicePort, protocol: packetProtocol, port: port)
        }
        let wantsIPv6 = targetPort == nil && target.contains(":")
        func decide(_ egress: PolicyDecision, _ ingress: PolicyDecision) -> Reachability {
            Reachability(from: sourceID, to: target, protocol: packetProtocol, port: port, revision: state.revision,
                         egress: egress, ingress: ingress)
        }
        let destinationAddress: String?
        let destination: Port?
        if let targetPort {
            destination = targetPort
            destinationAddress = view.addresses(of: targetPort, seenBy: source.tenant, asSource: false).first { $0.contains(":") == wantsIPv6 }
        } else {
            destination = workload(at: target, seenBy: source)
            destinationAddress = target
        }
        guard let destinationAddress else {
            let refusal = PolicyDecision(verdict: .denied, reason: "the destination is in another tenant and has no floating IP: it cannot be reached")
            return decide(refusal, refusal)
        }
        let proto = packetProtocol.rawValue
        let egress = decision(.egress, of: source, peer: destinationAddress, protocol: proto, port: port)
        guard let destination else {
            return decide(egress, PolicyDecision(verdict: .allowed, reason: "the destination is no workload: no ingress policy applies"))
        }
        guard let sourceAddress = view.addresses(of: source, seenBy: destination.tenant, asSource: true)
            .first(where: { $0.contains(":") == destinationAddress.contains(":") }) else {
            return decide(egress, PolicyDecision(verdict: .denied, reason: "the source has no address the destination's tenant can see (no floating IP or SNAT)"))
        }
        return decide(egress, decision(.ingress, of: destination, peer: sourceAddress, protocol: proto, port: port))
    }

    /// The port `address` names from `source`'s point of view: one of its tenant's (on its switch
    /// first), else the port a floating IP maps to.
    private func workload(at address: String, seenBy source: Port) -> Port? {
        let state = view.state
        let own = state.ports.values.filter { $0.tenant == source.tenant && ($0.ip == address || $0.ip6?.lowercased() == address.lowercased()) }
        if let port = own.first(where: { $0.switch == source.switch }) ?? own.min(by: { $0.id < $1.id }) { return port }
        return state.floatingIPs.values.first { $0.address == address }?.port.flatMap { state.ports[$0] }
    }

    /// One side's decision for `target`, whose peer on the other end has address `peer`.
    func decision(_ direction: PolicyDirection, of target: Port, peer: String, protocol packetProtocol: String, port: Int?) -> PolicyDecision {
        func rules(_ policy: NetworkPolicy) -> [PolicyRule]? { direction == .ingress ? policy.ingress : policy.egress }
        func matches(_ rule: PolicyRule, _ policy: NetworkPolicy) -> Bool {
            let portMatches = rule.ports.map { $0.contains { $0.match.admits(protocol: packetProtocol, port: port) } } ?? true
            guard portMatches else { return false }
            guard let peers = view.peers(of: rule, in: policy, direction: direction, target: target) else { return true }
            return peers.contains(peer)
        }
        let (admin, tenant) = view.policies(selecting: target)
        var passedBy: String?
        adminTier: for policy in admin {
            for (index, rule) in (rules(policy) ?? []).enumerated() where matches(rule, policy) {
                let place = "\(direction.rawValue)[\(index)]"
                switch rule.effectiveAction {
                case .allow:
                    return PolicyDecision(verdict: .allowed, tier: .admin, policy: policy.id, policyName: policy.name, rule: place,
                                          reason: "allowed by admin policy '\(policy.name)'")
                case .deny:
                    return PolicyDecision(verdict: .denied, tier: .admin, policy: policy.id, policyName: policy.name, rule: place,
                                          reason: "denied by admin policy '\(policy.name)'")
                case .pass:
                    passedBy = policy.name
                    break adminTier
                }
            }
        }
        let governing = tenant.filter { rules($0) != nil }
        guard !governing.isEmpty else {
            return PolicyDecision(verdict: .allowed, reason: (passedBy.map { "passed on by admin policy '\($0)'; " } ?? "")
                                  + "no tenant policy selects the port for \(direction.rawValue)")
        }
        for policy in governing {
            for (index, rule) in (rules(policy) ?? []).enumerated() where matches(rule, policy) {
                return PolicyDecision(verdict: .allowed, tier: .tenant, policy: policy.id, policyName: policy.name,
                                      rule: "\(direction.rawValue)[\(index)]", reason: "allowed by policy '\(policy.name)'")
            }
        }
        let names = governing.map { "'\($0.name)'" }.joined(separator: ", ")
        // Named after the first policy that selects the port: no rule decided, its selection did.
        return PolicyDecision(verdict: .denied, tier: .tenant, policy: governing[0].id, policyName: governing[0].name,
                              reason: "selected for \(direction.rawValue) by \(names); no rule allows it")
    }
}

extension AddressSet {
    /// Whether an address is one of the set's addresses or inside one of its prefixes.
    func contains(_ address: String) -> Bool {
        if let ip = IPv4Address(address) {
            return ipv4.contains { element in
                element.contains("/") ? (IPv4Network(element)?.contains(ip) ?? false) : IPv4Address(element) == ip
            }
        }
        guard let ip = IPv6Address(address) else { return false }
        return ipv6.contains { element in
            element.contains("/") ? (IPv6Network(element)?.contains(ip) ?? false) : IPv6Address(element) == ip
        }
    }
}
