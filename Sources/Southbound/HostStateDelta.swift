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
        host = old.host == new.host ? nil : new.host
        switches = KeyedChanges(from: old.switches, to: new.switches)
        ports = KeyedChanges(from: old.ports, to: new.ports)
        routers = KeyedChanges(from: old.routers, to: new.routers)
        edgeRouters = KeyedChanges(from: old.edgeRouters, to: new.edgeRouters)
        policy = old.policy == new.policy ? nil : PolicyDelta(from: old.policy, to: new.policy)
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
/// port joined and left, or their removal.
public struct PolicyDelta: Codable, Equatable, Sendable {
    /// false: the host enforces no policy any more.
    public var present: Bool
    public var sets: KeyedChanges<AddressSet>
    public var ruleLists: KeyedChanges<RuleList>
    /// Port id → the names of the rule lists it joined.
    public var joined: [String: [String]]
    /// Port id → the names of the rule lists it left.
    public var left: [String: [String]]

    public init(from old: PolicyState?, to new: PolicyState?) {
        present = new != nil
        sets = KeyedChanges(from: old?.sets ?? [:], to: new?.sets ?? [:])
        ruleLists = KeyedChanges(from: old?.ruleLists ?? [:], to: new?.ruleLists ?? [:])
        let before = old?.members ?? [:], after = new?.members ?? [:]
        (joined, left) = ([:], [:])
        for port in Set(before.keys).union(after.keys) {
            let was = before[port] ?? [], now = after[port] ?? []
            guard was != now else { continue }
            let came = now.subtracting(was), gone = was.subtracting(now)
            if !came.isEmpty { joined[port] = came.sorted() }
            if !gone.isEmpty { left[port] = gone.sorted() }
        }
    }

    public func applied(to state: PolicyState?) -> PolicyState? {
        guard present else { return nil }
        var members = state?.members ?? [:]
        for (port, names) in left {
            let remaining = (members[port] ?? []).subtracting(names)
            members[port] = remaining.isEmpty ? nil : remaining
        }
        for (port, names) in joined { members[port, default: []].formUnion(names) }
        return PolicyState(sets: sets.applied(to: state?.sets ?? [:]), ruleLists: ruleLists.applied(to: state?.ruleLists ?? [:]),
                           members: members)
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

    public var isEmpty: Bool { changed.isEmpty && removed.isEmpty }

    public func applied(to values: [String: Value]) -> [String: Value] {
        var result = values
        for key in removed { result[key] = nil }
        result.merge(changed) { _, new in new }
        return result
    }
}
