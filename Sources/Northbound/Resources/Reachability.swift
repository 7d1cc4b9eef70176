/// Whether policies let a connection from a port to a port or address be opened, and which tier,
/// policy and rule decided on each side: the source's egress and the destination's ingress.
public struct Reachability: Codable, Equatable, Sendable {
    public var from: String
    public var to: String
    public var `protocol`: TraceProtocol
    public var port: Int?
    public var revision: Int64
    public var allowed: Bool
    public var egress: PolicyDecision
    public var ingress: PolicyDecision
    /// The service whose address `to` is: the hosts send the connection to its endpoints, and the
    /// decisions are theirs. Nil (absent) for any other destination.
    public var service: String?

    public init(from: String, to: String, protocol: TraceProtocol, port: Int?, revision: Int64, egress: PolicyDecision,
                ingress: PolicyDecision) {
        self.from = from
        self.to = to
        self.protocol = `protocol`
        self.port = port
        self.revision = revision
        self.allowed = egress.verdict == .allowed && ingress.verdict == .allowed
        self.egress = egress
        self.ingress = ingress
    }
}

public enum PolicyVerdict: String, Codable, Sendable {
    case allowed, denied
}

/// One side's verdict; `tier`, `policy` and `rule` name what decided (absent: no policy did).
public struct PolicyDecision: Codable, Equatable, Sendable {
    public var verdict: PolicyVerdict
    public var tier: PolicyTier?
    public var policy: String?
    public var policyName: String?
    /// `ingress[0]`, `egress[2]`: the rule's place in its policy.
    public var rule: String?
    public var reason: String

    public init(verdict: PolicyVerdict, tier: PolicyTier? = nil, policy: String? = nil, policyName: String? = nil,
                rule: String? = nil, reason: String) {
        self.verdict = verdict
        self.tier = tier
        self.policy = policy
        self.policyName = policyName
        self.rule = rule
        self.reason = reason
    }
}
