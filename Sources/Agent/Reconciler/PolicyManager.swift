import Kernel
import Southbound

/// Enforces the host's policies (``PolicyRuleset``): turns on br_netfilter for IPv4 and IPv6 in
/// the agent's namespace, and writes the `inet sy-policy` table. While the table's skeleton (its
/// chains and set declarations) stays the same, a change — a port joining or leaving a selected
/// label, a peer coming or going — only takes elements out of and puts elements into its sets, in
/// one transaction with a new generation; anything else replaces the table atomically. It runs
/// after anti-spoofing and before the ports are plumbed, so a new port's first packets already
/// meet its rules.
///
/// The table's comment names its skeleton; what the sets hold is what this manager last wrote,
/// remembered in memory (a restarted agent replaces the table once). A pass reads the host's tables
/// only when the skeleton changed, after a failed write, and every sixth pass, to repair drift.
public struct PolicyManager: ReconcileManager {
    public let concern = "policies"
    static let bridgeNetfilter = ["net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables"]
    private let memory = PolicyTableMemory()

    public init() {}

    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        let ruleset: PolicyRuleset.Ruleset?
        do {
            ruleset = try await memory.ruleset(for: desired)
        } catch {
            var plan = Plan()
            plan.refuse(desired.host.id, because: error.reason, skippingItsSteps: false)
            return plan
        }
        let full = await memory.startPass()
        let applied = await memory.applied
        let wanted = ruleset.map { NftablesTable.identifying($0.skeleton, family: .inet, name: PolicyRuleset.table) }
        if !full, let wanted, let applied, applied.comment == wanted.comment, let ruleset {
            return await update(wanted, from: applied.elements, to: ruleset, host: desired.host.id)
        }
        if !full, wanted == nil, applied == nil { return Plan() }

        var plan = Plan()
        let present = try await kernel.nftablesTables(in: nil).filter { $0.family == .inet && $0.name == PolicyRuleset.table }
        guard let wanted, let ruleset else {
            for table in present { plan.append(.deleteNftablesTable(table, namespace: nil), for: desired.host.id) }
            await memory.record(nil)
            return plan
        }
        let current = try await kernel.sysctls(Self.bridgeNetfilter, in: nil)
        for key in Self.bridgeNetfilter where current[key] != "1" {
            plan.append(.setSysctl(key: key, value: "1", namespace: nil), for: desired.host.id)
        }
        if present.contains(wanted), let applied, applied.comment == wanted.comment {
            let update = await update(wanted, from: applied.elements, to: ruleset, host: desired.host.id)
            for step in update.steps { plan.append(step.operation, for: step.object) }
            return plan
        }
        plan.append(.replaceNftablesTable(wanted, ruleset: ruleset.body, namespace: nil), for: desired.host.id)
        await memory.record((wanted.comment, ruleset.elements))
        return plan
    }

    public func applied(failures: Int) async {
        if failures > 0 { await memory.record(nil) }
    }

    /// The element changes from what the sets hold to what the ruleset wants, as one step.
    private func update(_ table: NftablesTable, from current: [String: [String]], to ruleset: PolicyRuleset.Ruleset,
                        host: String) async -> Plan {
        let changes = Self.changes(from: current, to: ruleset.elements)
        var plan = Plan()
        guard !changes.isEmpty else { return plan }
        plan.append(.updateNftablesSets(table, changes, namespace: nil), for: host)
        await memory.record((table.comment, ruleset.elements))
        return plan
    }

    /// Per set, the elements to take out and to put in; a map's elements are taken out by key.
    static func changes(from current: [String: [String]], to wanted: [String: [String]]) -> [NftablesSetChange] {
        Set(current.keys).union(wanted.keys).sorted().compactMap { name in
            let old = Set(current[name] ?? []), new = Set(wanted[name] ?? [])
            let removed = old.subtracting(new).sorted(), added = new.subtracting(old).sorted()
            guard !removed.isEmpty || !added.isEmpty else { return nil }
            let keys = removed.map { element in element.split(separator: " : ").first.map(String.init) ?? element }
            return NftablesSetChange(set: name, removed: name == "stamp" ? keys : removed, added: added)
        }
    }
}

/// What the policy manager remembers between passes: the ruleset of the last desired state it saw
/// (regenerated only when that state's policies, ports or switches change), and what it last wrote.
actor PolicyTableMemory {
    /// The table comment (naming the skeleton) and the sets' elements the agent last wrote.
    private(set) var applied: (comment: String, elements: [String: [String]])?
    private var input: Input?
    private var cached: PolicyRuleset.Ruleset?
    private var passes = 0

    /// What the ruleset depends on.
    struct Input: Equatable {
        var policy: PolicyState?
        var ports: [String: PortState]
        var vnis: [String: Int]
    }

    func ruleset(for desired: HostState) throws(PolicyRuleset.Refusal) -> PolicyRuleset.Ruleset? {
        let selected = desired.policy.map { policy in desired.ports.filter { policy.ports[$0.key] != nil } } ?? [:]
        let input = Input(policy: desired.policy, ports: selected, vnis: desired.switches.mapValues(\.vni))
        if input == self.input { return cached }
        let ruleset = try PolicyRuleset.ruleset(desired)
        (self.input, cached) = (input, ruleset)
        return ruleset
    }

    /// Counts a pass; true when it must read the host's tables.
    func startPass() -> Bool {
        defer { passes += 1 }
        return passes % 6 == 0
    }

    func record(_ written: (comment: String, elements: [String: [String]])?) {
        applied = written
    }
}
