/// A match expression in the operators' syntax, parsed:
///
/// ```
/// src_project==front-end || src_tenant==external
/// !(dst_label.tier in (db, cache)) && src_cluster != kube1
/// ```
///
/// Attributes are `src_` or `dst_` followed by `tenant`, `project`, `cluster` or `label.<key>`;
/// operators `==`, `!=`, `in (a, b)`, `not in (…)`, `!`, `&&`, `||` and parentheses, with the usual
/// precedence (`!` over `&&` over `||`). Values are bare words or quoted strings.
public indirect enum PolicyExpression: Equatable, Hashable, Sendable {
    case comparison(PolicyAttribute, negated: Bool, values: [String])
    case not(PolicyExpression)
    case and(PolicyExpression, PolicyExpression)
    case or(PolicyExpression, PolicyExpression)

    /// Whether the expression holds for a flow between these two endpoints. An attribute an
    /// endpoint lacks (a bare address has no project) equals no value.
    public func matches(source: EndpointAttributes, destination: EndpointAttributes) -> Bool {
        switch self {
        case .comparison(let attribute, let negated, let values):
            let endpoint = attribute.side == .source ? source : destination
            let found = endpoint.value(of: attribute.field).map(values.contains) ?? false
            return found != negated
        case .not(let inner): return !inner.matches(source: source, destination: destination)
        case .and(let left, let right):
            return left.matches(source: source, destination: destination) && right.matches(source: source, destination: destination)
        case .or(let left, let right):
            return left.matches(source: source, destination: destination) || right.matches(source: source, destination: destination)
        }
    }

    /// Whether any comparison reads the given side.
    public func reads(_ side: PolicyAttribute.Side) -> Bool {
        switch self {
        case .comparison(let attribute, _, _): attribute.side == side
        case .not(let inner): inner.reads(side)
        case .and(let left, let right), .or(let left, let right): left.reads(side) || right.reads(side)
        }
    }
}

public struct PolicyAttribute: Equatable, Hashable, Sendable {
    public enum Side: Sendable { case source, destination }
    public enum Field: Equatable, Hashable, Sendable {
        case tenant, project, cluster
        case label(String)
    }

    public var side: Side
    public var field: Field
}

/// What an expression or selector can see of one end of a flow: names, not ids. A bare address
/// (a CIDR peer, an address outside every tenant) has none of them.
public struct EndpointAttributes: Equatable, Hashable, Sendable {
    public var tenant: String?
    public var project: String?
    public var cluster: String?
    public var labels: [String: String]

    public init(tenant: String? = nil, project: String? = nil, cluster: String? = nil, labels: [String: String] = [:]) {
        self.tenant = tenant
        self.project = project
        self.cluster = cluster
        self.labels = labels
    }

    func value(of field: PolicyAttribute.Field) -> String? {
        switch field {
        case .tenant: tenant
        case .project: project
        case .cluster: cluster
        case .label(let key): labels[key]
        }
    }
}
