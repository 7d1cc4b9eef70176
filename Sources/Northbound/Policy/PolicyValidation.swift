/// Checks a policy's selectors and rules; every refusal names the offending field.
public enum PolicyValidation {
    public static let maximumRules = 1_000
    public static let maximumPeers = 1_000
    public static let maximumPorts = 100
    public static let priorities = 0...1_000_000

    public static func selector(_ selector: PolicySelector, field: String) throws -> PolicySelector {
        PolicySelector(tenant: try selectorName(selector.tenant, field: "\(field).tenant"),
                       project: try selectorName(selector.project, field: "\(field).project"),
                       cluster: try selectorName(selector.cluster, field: "\(field).cluster"),
                       labels: try selector.labels.map { try Validate.labels($0, field: "\(field).labels") })
    }

    /// The rules of one direction, checked for the tier: only admin rules may `deny` or `pass`.
    public static func rules(_ rules: [PolicyRule]?, ingress: Bool, tier: PolicyTier) throws -> [PolicyRule]? {
        guard let rules else { return nil }
        let direction = ingress ? "ingress" : "egress"
        guard rules.count <= maximumRules else {
            throw ModelError(.invalidValue, field: direction, "a policy has at most \(maximumRules) rules per direction")
        }
        return try rules.enumerated().map { index, rule in
            let field = "\(direction)[\(index)]"
            if tier == .tenant, rule.effectiveAction != .allow {
                throw ModelError(.invalidValue, field: "\(field).action", "tenant policies only allow; deny and pass belong to the admin tier")
            }
            let (peersKey, wrongKey) = ingress ? ("from", "to") : ("to", "from")
            if (ingress ? rule.to : rule.from) != nil {
                throw ModelError(.unknownField, field: "\(field).\(wrongKey)", "\(direction) rules name their peers in '\(peersKey)'")
            }
            let peers = try (ingress ? rule.from : rule.to).map { peers in
                guard peers.count <= maximumPeers else {
                    throw ModelError(.invalidValue, field: "\(field).\(peersKey)", "a rule names at most \(maximumPeers) peers")
                }
                return try peers.enumerated().map { try peer($1, field: "\(field).\(peersKey)[\($0)]") }
            }
            let ports = try rule.ports.map { ports in
                guard ports.count <= maximumPorts else {
                    throw ModelError(.invalidValue, field: "\(field).ports", "a rule names at most \(maximumPorts) ports")
                }
                return try ports.enumerated().map { try self.ports($1, field: "\(field).ports[\($0)]") }
            }
            if let expression = rule.expression { _ = try PolicyExpressionParser.parse(expression, field: "\(field).expression") }
            return PolicyRule(action: rule.action, from: ingress ? peers : nil, to: ingress ? nil : peers, ports: ports,
                              expression: rule.expression)
        }
    }

    static func peer(_ peer: PolicyPeer, field: String) throws -> PolicyPeer {
        if let cidr = peer.cidr {
            guard peer.tenant == nil, peer.project == nil, peer.cluster == nil, peer.labels == nil else {
                throw ModelError(.invalidValue, field: field, "a peer is either a cidr or a selector, not both")
            }
            if cidr.contains(":") {
                return PolicyPeer(cidr: try Validate.ipv6Network(cidr, field: "\(field).cidr").description)
            }
            return PolicyPeer(cidr: try Validate.ipv4Network(cidr, field: "\(field).cidr").description)
        }
        let selector = try self.selector(peer.selector, field: field)
        return PolicyPeer(tenant: selector.tenant, project: selector.project, cluster: selector.cluster, labels: selector.labels)
    }

    static func ports(_ ports: PolicyPorts, field: String) throws -> PolicyPorts {
        switch ports.protocol {
        case .tcp, .udp:
            if let port = ports.port { _ = try Validate.range(port, 1...65_535, field: "\(field).port") }
            if let end = ports.endPort {
                guard let port = ports.port else { throw ModelError(.missingField, field: "\(field).port", "endPort needs a port") }
                _ = try Validate.range(end, port...65_535, field: "\(field).endPort")
            }
        case .icmp, .any:
            guard ports.port == nil, ports.endPort == nil else {
                throw ModelError(.invalidValue, field: "\(field).port", "only tcp and udp rules name ports")
            }
        }
        return ports
    }

    static func selectorName(_ name: String?, field: String) throws -> String? {
        guard let name, name != "*" else { return name }
        return try Validate.name(name, field: field)
    }
}
