/// The policies a host enforces for its own ports, compiled: address sets and rule lists, each
/// sent once however many rules or ports use it, and per policy group (``PortState/policyGroup``:
/// ports alike for every selector) the rule lists its ports are subject to. A policy that selects
/// every port of a host is one rule list and one name per group, so a policy change costs what it
/// changes, neither every port's whole rule set nor one entry per port. Only groups of local ports
/// some policy selects appear; only sets and lists they use are sent.
public struct PolicyState: Codable, Equatable, Sendable {
    /// Set name → addresses and prefixes. Names derive from the contents, so equal sets are one.
    public var sets: [String: AddressSet]
    /// Rule list name → one policy's rules for one direction. Names derive from the contents.
    public var ruleLists: [String: RuleList]
    /// Policy group → the names of the rule lists its ports are subject to.
    public var groups: [String: Set<String>]

    public init(sets: [String: AddressSet] = [:], ruleLists: [String: RuleList] = [:], groups: [String: Set<String>] = [:]) {
        self.sets = sets
        self.ruleLists = ruleLists
        self.groups = groups
    }

    /// The names of the rule lists `port` is subject to; nil when no policy selects it.
    public func lists(of port: PortState) -> Set<String>? {
        port.policyGroup.flatMap { groups[$0] }
    }

    /// A port's rules as the agent enforces them: per direction the admin tier's lists in
    /// evaluation order (priority, then policy), then the tenant tier's — nil when no tenant list
    /// governs the direction. nil when the port is subject to no list.
    public func portPolicy(_ port: PortState) -> PortPolicy? {
        guard let names = lists(of: port) else { return nil }
        let lists = names.compactMap { ruleLists[$0] }.sorted { ($0.priority ?? 0, $0.policy) < ($1.priority ?? 0, $1.policy) }
        func side(_ direction: RuleList.Direction) -> DirectionPolicy? {
            let mine = lists.filter { $0.direction == direction }
            let tenant = mine.filter { $0.priority == nil }
            let result = DirectionPolicy(admin: mine.filter { $0.priority != nil }.flatMap(\.rules),
                                         tenant: tenant.isEmpty ? nil : tenant.flatMap(\.rules))
            return result.admin.isEmpty && result.tenant == nil ? nil : result
        }
        let result = PortPolicy(ingress: side(.ingress), egress: side(.egress))
        return result.ingress == nil && result.egress == nil ? nil : result
    }
}

/// One policy's compiled rules for one direction, as the ports it selects alike share them.
public struct RuleList: Codable, Equatable, Hashable, Sendable {
    public enum Direction: String, Codable, Sendable { case ingress, egress }

    public var policy: String
    public var direction: Direction
    /// The admin tier's priority (lower first); nil for the tenant tier, whose lists govern their
    /// direction even when empty (everything else is denied).
    public var priority: Int?
    public var rules: [CompiledRule]

    public init(policy: String, direction: Direction, priority: Int?, rules: [CompiledRule]) {
        self.policy = policy
        self.direction = direction
        self.priority = priority
        self.rules = rules
    }

    /// Named by content, so the ports a policy selects alike share one list.
    public var name: String {
        let text = [policy, direction.rawValue, priority.map(String.init) ?? "-"]
            + rules.map { rule in
                ([rule.action.rawValue, rule.peers ?? "*"] + rule.ports.map { "\($0.protocol):\($0.from ?? -1)-\($0.to ?? -1)" })
                    .joined(separator: " ")
            }
        return StableHash.name("r", of: text)
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

/// A port's rules resolved from its lists (``PolicyState/portPolicy(_:)``), per direction.
public struct PortPolicy: Equatable, Sendable {
    /// nil: nothing governs this direction (open).
    public var ingress: DirectionPolicy?
    public var egress: DirectionPolicy?

    public init(ingress: DirectionPolicy? = nil, egress: DirectionPolicy? = nil) {
        self.ingress = ingress
        self.egress = egress
    }

}

/// One direction of one port: the admin rules in order (first match decides; `pass` goes on to the
/// tenant tier), then the tenant tier — nil when no tenant policy selects the port for this
/// direction (what the admin tier leaves undecided is allowed), else its allow rules (anything
/// else is denied).
public struct DirectionPolicy: Equatable, Sendable {
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

extension HostState {
    /// A local port's rules (``PolicyState/portPolicy(_:)``); nil when no policy selects it.
    public func portPolicy(_ portID: String) -> PortPolicy? {
        ports[portID].flatMap { policy?.portPolicy($0) }
    }
}
