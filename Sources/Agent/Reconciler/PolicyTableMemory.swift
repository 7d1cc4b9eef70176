import Kernel
import Southbound

/// What the policy manager keeps between passes: each selected port's part of the table, rebuilt
/// only when that port's rules, address or the peer sets it uses change, so a membership change
/// costs the changed ports' elements, not the whole table's; and what the kernel holds.
actor PolicyTableMemory {
    /// The table the parts make up now, and what changed in its sets since the previous one.
    struct Outcome: Sendable {
        let table: NftablesTable
        let generation: String
        let changes: [NftablesSetChange]
    }

    /// What a port's part depends on. List names derive from the lists' contents, set names
    /// (which the lists' rules name) from the sets': equal names are equal rules and peers.
    struct PortInput: Equatable {
        var lists: Set<String>
        var port: PortState
        var vni: Int
    }

    private struct Part {
        var input: PortInput
        var builder: PolicyRuleset.Builder
        var digest: UInt64
    }

    /// What everything depends on, to skip a pass where nothing changed at once.
    private struct Input: Equatable {
        var policy: PolicyState?
        var ports: [String: PortState]
        var vnis: [String: Int]
    }

    private var parts: [String: Part] = [:]
    private var counts: [String: Int] = [:]
    private var input: Input?
    private var outcome: Outcome?
    private var bridges = PolicyRuleset.Bridges()
    private var sets: [String: AddressSet] = [:]
    /// The sets validated so far, by name, as they were: only a new or changed one is checked.
    private var validated: [String: AddressSet] = [:]
    /// The comment and generation of the table the kernel holds, when it holds exactly `parts`.
    private(set) var written: (comment: String, generation: String)?
    private var schedule = FullCheckSchedule(every: 6)

    /// Brings the parts to `desired`; nil when the host enforces no policy.
    func advance(to desired: HostState) throws(PolicyRuleset.Refusal) -> Outcome? {
        let selected = desired.policy.map { policy in desired.ports.filter { policy.lists(of: $0.value) != nil } } ?? [:]
        let input = Input(policy: desired.policy, ports: selected, vnis: desired.switches.mapValues(\.vni))
        if input == self.input, let outcome { return Outcome(table: outcome.table, generation: outcome.generation, changes: []) }
        guard let policy = desired.policy, !selected.isEmpty else {
            (parts, counts, self.input, outcome) = ([:], [:], input, nil)
            return nil
        }
        for (name, set) in policy.sets where validated[name] != set { try PolicyRuleset.validate(set, named: name) }
        validated = policy.sets
        var next = parts, nextCounts = counts
        var removed: [String: [String]] = [:], added: [String: [String]] = [:]
        func account(_ old: PolicyRuleset.Builder?, _ new: PolicyRuleset.Builder?) {
            for name in Set((old?.elements.keys).map(Array.init) ?? []).union((new?.elements.keys).map(Array.init) ?? []) {
                let before = old?.elements[name] ?? [], after = new?.elements[name] ?? []
                let gone = before.subtracting(after), came = after.subtracting(before)
                removed[name, default: []] += gone
                added[name, default: []] += came
                nextCounts[name, default: 0] += came.count - gone.count
            }
        }
        func drop(_ id: String) {
            account(parts[id]?.builder, nil)
            next[id] = nil
        }
        for id in parts.keys where selected[id] == nil { drop(id) }
        for (id, port) in selected {
            guard let lists = policy.lists(of: port), let vni = desired.switches[port.switch]?.vni else {
                drop(id)
                continue
            }
            let portInput = PortInput(lists: lists, port: port, vni: vni)
            if parts[id]?.input == portInput { continue }
            guard let rules = policy.portPolicy(port) else {
                drop(id)
                continue
            }
            let builder = try PolicyRuleset.contribution(of: id, rules, port: port, vni: vni, sets: policy.sets)
            account(parts[id]?.builder, builder)
            next[id] = Part(input: portInput, builder: builder, digest: builder.digest)
        }
        (parts, counts, sets, bridges) = (next, nextCounts, policy.sets, PolicyRuleset.bridges(desired))

        // The skeleton: the admin parts, and which flat sets hold anything.
        var skeleton = PolicyRuleset.Builder(sets: sets)
        for part in parts.values.filter(\.builder.hasAdmin).sorted(by: { $0.input.port.ip < $1.input.port.ip }) {
            var admin = part.builder
            admin.elements = [:]
            skeleton.merge(admin)
        }
        for (name, count) in counts where count > 0 { skeleton.elements[name] = ["-"] }
        let text = skeleton.ruleset(bridges: bridges, generation: "0x00000001").skeleton
        let digest = parts.values.reduce(StableHash.fnv1a(text)) { $0 ^ $1.digest }
        let changes = Set(removed.keys).union(added.keys).sorted().compactMap { name -> NftablesSetChange? in
            let gone = (removed[name] ?? []).sorted(), came = (added[name] ?? []).sorted()
            return gone.isEmpty && came.isEmpty ? nil : NftablesSetChange(set: name, removed: gone, added: came)
        }
        let outcome = Outcome(table: NftablesTable.identifying(text, family: .inet, name: PolicyRuleset.table),
                              generation: PolicyRuleset.generation(digest), changes: changes)
        (self.input, self.outcome) = (input, outcome)
        return outcome
    }

    /// The whole table body for the current parts, with the current generation.
    func body() -> String {
        var whole = PolicyRuleset.Builder(sets: sets)
        for id in parts.keys.sorted() { whole.merge(parts[id]!.builder) }
        return whole.ruleset(bridges: bridges, generation: outcome?.generation).body
    }

    func resyncStarts() { schedule.resyncStarts() }

    /// Starts a pass; true when it must read the host's tables.
    func startPass() -> Bool { schedule.startPass() }

    func record(_ written: (comment: String, generation: String)?) {
        self.written = written
    }
}
