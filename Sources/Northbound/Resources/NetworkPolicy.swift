/// A micro-segmentation policy. Tenant-tier policies select ports of their tenant and only allow
/// (Kubernetes NetworkPolicy's model: a port selected for a direction denies what no policy allows
/// in it). Admin-tier policies (admin tokens only) may select ports of any tenant, are evaluated
/// first in `priority` order, and `allow`, `deny` or `pass` (hand over to the tenant tier).
public struct NetworkPolicy: Codable, Equatable, Sendable {
    public var id: String
    /// nil for admin-tier policies: they belong to the provider.
    public var tenant: String?
    /// When set, the policy selects ports of this project only.
    public var project: String?
    public var name: String
    public var tier: PolicyTier
    /// Admin tier: lower is evaluated first. Tenant tier: always 0 (order does not matter there).
    public var priority: Int
    public var appliesTo: PolicySelector
    /// nil: the policy does not select its ports for ingress. `[]`: it selects them and allows nothing.
    public var ingress: [PolicyRule]?
    public var egress: [PolicyRule]?
    public var labels: [String: String]
    public var revision: Int64

    public init(id: String, tenant: String?, project: String? = nil, name: String, tier: PolicyTier, priority: Int = 0,
                appliesTo: PolicySelector, ingress: [PolicyRule]?, egress: [PolicyRule]?, labels: [String: String] = [:],
                revision: Int64) {
        self.id = id
        self.tenant = tenant
        self.project = project
        self.name = name
        self.tier = tier
        self.priority = priority
        self.appliesTo = appliesTo
        self.ingress = ingress
        self.egress = egress
        self.labels = labels
        self.revision = revision
    }
}

public enum PolicyTier: String, Codable, Sendable, CaseIterable {
    case admin, tenant
}

/// Selects workloads by the names of their tenant, project and cluster (`*` or absent: any) and by
/// labels (every one must match).
public struct PolicySelector: Codable, Equatable, Hashable, Sendable {
    public var tenant: String?
    public var project: String?
    public var cluster: String?
    public var labels: [String: String]?

    public init(tenant: String? = nil, project: String? = nil, cluster: String? = nil, labels: [String: String]? = nil) {
        self.tenant = tenant
        self.project = project
        self.cluster = cluster
        self.labels = labels
    }
}

/// One side of a rule: workloads picked by a selector, or addresses by CIDR (then the selector
/// fields must be absent).
public struct PolicyPeer: Codable, Equatable, Hashable, Sendable {
    public var tenant: String?
    public var project: String?
    public var cluster: String?
    public var labels: [String: String]?
    public var cidr: String?

    public init(tenant: String? = nil, project: String? = nil, cluster: String? = nil, labels: [String: String]? = nil,
                cidr: String? = nil) {
        self.tenant = tenant
        self.project = project
        self.cluster = cluster
        self.labels = labels
        self.cidr = cidr
    }

    public var selector: PolicySelector { PolicySelector(tenant: tenant, project: project, cluster: cluster, labels: labels) }
}

public enum PolicyProtocol: String, Codable, Sendable, CaseIterable {
    case tcp, udp, icmp, any
}

/// A protocol and, for tcp and udp, a destination port or range (`port`…`endPort`); no port: all.
public struct PolicyPorts: Codable, Equatable, Hashable, Sendable {
    public var `protocol`: PolicyProtocol
    public var port: Int?
    public var endPort: Int?

    public init(protocol: PolicyProtocol, port: Int? = nil, endPort: Int? = nil) {
        self.protocol = `protocol`
        self.port = port
        self.endPort = endPort
    }
}

public enum PolicyAction: String, Codable, Sendable, CaseIterable {
    case allow, deny, pass
}

/// A rule of one direction: ingress rules name their peers in `from`, egress rules in `to`
/// (absent: any peer). `ports` absent: any protocol and port. `expression` further restricts the
/// peers, in the operators' syntax (``PolicyExpression``).
public struct PolicyRule: Codable, Equatable, Hashable, Sendable {
    /// Tenant tier: `allow` only (the default).
    public var action: PolicyAction?
    public var from: [PolicyPeer]?
    public var to: [PolicyPeer]?
    public var ports: [PolicyPorts]?
    public var expression: String?

    public init(action: PolicyAction? = nil, from: [PolicyPeer]? = nil, to: [PolicyPeer]? = nil, ports: [PolicyPorts]? = nil,
                expression: String? = nil) {
        self.action = action
        self.from = from
        self.to = to
        self.ports = ports
        self.expression = expression
    }

    public var effectiveAction: PolicyAction { action ?? .allow }
}

public struct NetworkPolicyCreate: Codable, Sendable {
    public var tenant: String?
    public var project: String?
    public var name: String
    public var tier: PolicyTier?
    public var priority: Int?
    public var appliesTo: PolicySelector?
    public var ingress: [PolicyRule]?
    public var egress: [PolicyRule]?
    public var labels: [String: String]?

    public init(tenant: String? = nil, project: String? = nil, name: String, tier: PolicyTier? = nil, priority: Int? = nil,
                appliesTo: PolicySelector? = nil, ingress: [PolicyRule]? = nil, egress: [PolicyRule]? = nil,
                labels: [String: String]? = nil) {
        self.tenant = tenant
        self.project = project
        self.name = name
        self.tier = tier
        self.priority = priority
        self.appliesTo = appliesTo
        self.ingress = ingress
        self.egress = egress
        self.labels = labels
    }
}

/// Replaces the fields it names; `ingress: null` / `egress: null` stop selecting for that direction.
public struct NetworkPolicyUpdate: Codable, Sendable {
    public var priority: Int?
    public var appliesTo: PolicySelector?
    public var ingress: [PolicyRule]?
    public var egress: [PolicyRule]?
    public var labels: [String: String]?

    public init(priority: Int? = nil, appliesTo: PolicySelector? = nil, ingress: [PolicyRule]? = nil, egress: [PolicyRule]? = nil,
                labels: [String: String]? = nil) {
        self.priority = priority
        self.appliesTo = appliesTo
        self.ingress = ingress
        self.egress = egress
        self.labels = labels
    }
}

extension NetworkPolicyUpdate: NullableFields {
    public static var nullableFields: Set<String> { ["ingress", "egress"] }
}
