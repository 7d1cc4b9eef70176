/// The policies a host enforces for its own ports, compiled: address sets shared by every rule
/// that uses them, and per port and direction the ordered rules of the admin tier and the rules of
/// the tenant tier. Only ports some policy selects appear; only sets their rules use are sent.
public struct PolicyState: Codable, Equatable, Sendable {
    /// Set name → addresses and prefixes. Names derive from the contents, so equal sets are one.
    public var sets: [String: AddressSet]
    /// Local port id → its rules.
    public var ports: [String: PortPolicy]

    public init(sets: [String: AddressSet] = [:], ports: [String: PortPolicy] = [:]) {
        self.sets = sets
        self.ports = ports
    }
}

/// Addresses and prefixes (`10.0.0.5`, `10.1.0.0/16`, `fd00::/64`), sorted, per family.
public struct AddressSet: Codable, Equatable, Hashable, Sendable {
    public var ipv4: [String]
    public var ipv6: [String]

    public init(ipv4: [String] = [], ipv6: [String] = []) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }
}

public struct PortPolicy: Codable, Equatable, Sendable {
    /// nil: nothing governs this direction (open).
    public var ingress: DirectionPolicy?
    public var egress: DirectionPolicy?

    public init(ingress: DirectionPolicy? = nil, egress: DirectionPolicy? = nil) {
        self.ingress = ingress
        self.egress = egress
    }

    var ruleCount: Int {
        [ingress, egress].reduce(0) { $0 + ($1.map { $0.admin.count + ($0.tenant?.count ?? 0) } ?? 0) }
    }
}

/// One direction of one port: the admin rules in order (first match decides; `pass` goes on to the
/// tenant tier), then the tenant tier — nil when no tenant policy selects the port for this
/// direction (what the admin tier leaves undecided is allowed), else its allow rules (anything
/// else is denied).
public struct DirectionPolicy: Codable, Equatable, Sendable {
    public var admin: [CompiledRule]
    public var tenant: [CompiledRule]?

    public init(admin: [CompiledRule] = [], tenant: [CompiledRule]? = nil) {
        self.admin = admin
        self.tenant = tenant
    }
}

public struct CompiledRule: Codable, Equatable, Hashable, Sendable {
    public enum Action: String, Codable, Sendable { case allow, deny, pass }

    public var action: Action
    /// The set the peer's address must be in; nil: any address.
    public var peers: String?
    /// Empty: any protocol and port.
    public var ports: [PortMatch]
    /// The policy the rule comes from, for logs and counters.
    public var policy: String

    public init(action: Action, peers: String?, ports: [PortMatch], policy: String) {
        self.action = action
        self.peers = peers
        self.ports = ports
        self.policy = policy
    }
}

/// `protocol` is `tcp`, `udp`, `icmp` or `any`; tcp and udp may name a destination port range.
public struct PortMatch: Codable, Equatable, Hashable, Sendable {
    public var `protocol`: String
    public var from: Int?
    public var to: Int?

    public init(protocol: String, from: Int? = nil, to: Int? = nil) {
        self.protocol = `protocol`
        self.from = from
        self.to = to
    }
}
