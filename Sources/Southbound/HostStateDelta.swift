/// The difference between two states of one host: entries to change and keys to remove, per collection.
///
/// `HostStateDelta(from: a, to: b).applied(to: a) == b` always; the controller sends deltas, and a
/// fresh snapshot when it cannot.
public struct HostStateDelta: Codable, Equatable, Sendable {
    public var host: HostInfo?
    public var switches: KeyedChanges<SwitchState>
    public var ports: KeyedChanges<PortState>
    public var routers: KeyedChanges<RouterState>
    public var edgeRouters: KeyedChanges<EdgeRouterState>
    /// nil when the host's policies did not change.
    public var policy: PolicyDelta?
    /// nil when the host's services did not change.
    public var services: KeyedChanges<ServiceState>?
    /// nil when the host's DNS zones did not change.
    public var dns: KeyedChanges<DNSZoneState>?

    public init(from old: HostState, to new: HostState) {
        self.init(from: old, to: new, policyDelta: PolicyDelta.init(from:to:))
    }

    /// `policyDelta` works out the change of the host's policies when they differ: a hub shares
    /// one between the many hosts that go from one policy state to another alike.
    public init(from old: HostState, to new: HostState, policyDelta: (PolicyState?, PolicyState?) -> PolicyDelta) {
        host = old.host == new.host ? nil : new.host
        switches = KeyedChanges(from: old.switches, to: new.switches)
        ports = KeyedChanges(from: old.ports, to: new.ports)
        routers = KeyedChanges(from: old.routers, to: new.routers)
        edgeRouters = KeyedChanges(from: old.edgeRouters, to: new.edgeRouters)
        policy = old.policy == new.policy ? nil : policyDelta(old.policy, new.policy)
        services = old.services == new.services ? nil : KeyedChanges(from: old.services ?? [:], to: new.services ?? [:])
        dns = old.dns == new.dns ? nil : KeyedChanges(from: old.dns ?? [:], to: new.dns ?? [:])
    }

    public var isEmpty: Bool {
        host == nil && switches.isEmpty && ports.isEmpty && routers.isEmpty && edgeRouters.isEmpty && policy == nil && services == nil
            && dns == nil
    }

    public func applied(to state: HostState) -> HostState {
        var result = state
        if let host { result.host = host }
        result.switches = switches.applied(to: state.switches)
        result.ports = ports.applied(to: state.ports)
        result.routers = routers.applied(to: state.routers)
        result.edgeRouters = edgeRouters.applied(to: state.edgeRouters)
        if let policy { result.policy = policy.applied(to: state.policy) }
        if let services {
            let applied = services.applied(to: state.services ?? [:])
            result.services = applied.isEmpty ? nil : applied
        }
        if let dns {
            let applied = dns.applied(to: state.dns ?? [:])
            result.dns = applied.isEmpty ? nil : applied
        }
        return result
    }
}

/// The change of a host's policies: its sets and rule lists entry by entry, the rule lists each
/// policy group joined and left, or their removal.
public struct PolicyDelta: Codable, Equatable, Sendable {
    /// false: the host enforces no policy any more.
    public var present: Bool
    public var sets: KeyedChanges<AddressSet>
    public var ruleLists: KeyedChanges<RuleList>
    /// Policy group → the names of the rule lists it joined.
    public var joined: [String: [String]]
    /// Policy group → the names of the rule lists it left.
    public var left: [String: [String]]

    public init(from old: PolicyState?, to new: PolicyState?) {
        present = new != nil
        sets = KeyedChanges(contentNamedFrom: old?.sets ?? [:], to: new?.sets ?? [:])
        ruleLists = KeyedChanges(contentNamedFrom: old?.ruleLists ?? [:], to: new?.ruleLists ?? [:])
        let before = old?.groups ?? [:], after = new?.groups ?? [:]
        (joined, left) = ([:], [:])
        for group in Set(before.keys).union(after.keys) {
            let was = before[group] ?? [], now = after[group] ?? []
            guard was != now else { continue }
            let came = now.subtracting(was), gone = was.subtracting(now)
            if !came.isEmpty { joined[group] = came.sorted() }
            if !gone.isEmpty { left[group] = gone.sorted() }
        }
    }

    public func applied(to state: PolicyState?) -> PolicyState? {
        guard present else { return nil }
        var groups = state?.groups ?? [:]
        for (group, names) in left {
            let remaining = (groups[group] ?? []).subtracting(names)
            groups[group] = remaining.isEmpty ? nil : remaining
        }
        for (group, names) in joined { groups[group, default: []].formUnion(names) }
        return PolicyState(sets: sets.applied(to: state?.sets ?? [:]), ruleLists: ruleLists.applied(to: state?.ruleLists ?? [:]),
                           groups: groups)
    }
}

/// Changed (new or different) and removed entries of one keyed collection.
public struct KeyedChanges<Value: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    public var changed: [String: Value]
    public var removed: [String]

    public init(from old: [String: Value], to new: [String: Value]) {
        // A collection the compiler carried over unchanged shares its storage: compared at once.
        guard old != new else {
            (changed, removed) = ([:], [])
            return
        }
        changed = new.filter { old[$0.key] != $0.value }
        removed = old.keys.filter { new[$0] == nil }.sorted()
    }

    /// No change.
    public init() {
        (changed, removed) = ([:], [])
    }

    /// For a collection named by content (an equal name is an equal value): compares names only,
    /// so a host holding many sets or lists costs a lookup each, not a comparison of their rules.
    public init(contentNamedFrom old: [String: Value], to new: [String: Value]) {
        // By index, not by value: a value looked up or passed to a filter is copied (a retain and
        // a release of each of its parts), which for every rule list of every host on each change
        // was most of the hub's work for a new policy.
        var changed: [String: Value] = [:]
        for index in new.indices where old.index(forKey: new.keys[index]) == nil {
            changed[new.keys[index]] = new.values[index]
        }
        self.changed = changed
        removed = old.keys.filter { new.index(forKey: $0) == nil }.sorted()
    }

    public var isEmpty: Bool { changed.isEmpty && removed.isEmpty }

    public func applied(to values: [String: Value]) -> [String: Value] {
        var result = values
        for key in removed { result[key] = nil }
        result.merge(changed) { _, new in new }
        return result
    }
}

// Empty collections are left out on the wire: most deltas change one or two of them, and every
// container costs both ends of a session time to write and read.

extension KeyedChanges {
    private enum CodingKeys: String, CodingKey { case changed, removed }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        changed = try container.decodeIfPresent([String: Value].self, forKey: .changed) ?? [:]
        removed = try container.decodeIfPresent([String].self, forKey: .removed) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !changed.isEmpty { try container.encode(changed, forKey: .changed) }
        if !removed.isEmpty { try container.encode(removed, forKey: .removed) }
    }
}

extension HostStateDelta {
    private enum CodingKeys: String, CodingKey { case host, switches, ports, routers, edgeRouters, policy, services, dns }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func changes<Value>(_ key: CodingKeys) throws -> KeyedChanges<Value> {
            try container.decodeIfPresent(KeyedChanges<Value>.self, forKey: key) ?? KeyedChanges()
        }
        host = try container.decodeIfPresent(HostInfo.self, forKey: .host)
        switches = try changes(.switches)
        ports = try changes(.ports)
        routers = try changes(.routers)
        edgeRouters = try changes(.edgeRouters)
        policy = try container.decodeIfPresent(PolicyDelta.self, forKey: .policy)
        services = try container.decodeIfPresent(KeyedChanges<ServiceState>.self, forKey: .services)
        dns = try container.decodeIfPresent(KeyedChanges<DNSZoneState>.self, forKey: .dns)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(host, forKey: .host)
        if !switches.isEmpty { try container.encode(switches, forKey: .switches) }
        if !ports.isEmpty { try container.encode(ports, forKey: .ports) }
        if !routers.isEmpty { try container.encode(routers, forKey: .routers) }
        if !edgeRouters.isEmpty { try container.encode(edgeRouters, forKey: .edgeRouters) }
        try container.encodeIfPresent(policy, forKey: .policy)
        try container.encodeIfPresent(services, forKey: .services)
        try container.encodeIfPresent(dns, forKey: .dns)
    }
}

extension PolicyDelta {
    private enum CodingKeys: String, CodingKey { case present, sets, ruleLists, joined, left }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        present = try container.decode(Bool.self, forKey: .present)
        sets = try container.decodeIfPresent(KeyedChanges<AddressSet>.self, forKey: .sets) ?? KeyedChanges()
        ruleLists = try container.decodeIfPresent(KeyedChanges<RuleList>.self, forKey: .ruleLists) ?? KeyedChanges()
        joined = try container.decodeIfPresent([String: [String]].self, forKey: .joined) ?? [:]
        left = try container.decodeIfPresent([String: [String]].self, forKey: .left) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(present, forKey: .present)
        if !sets.isEmpty { try container.encode(sets, forKey: .sets) }
        if !ruleLists.isEmpty { try container.encode(ruleLists, forKey: .ruleLists) }
        if !joined.isEmpty { try container.encode(joined, forKey: .joined) }
        if !left.isEmpty { try container.encode(left, forKey: .left) }
    }
}
