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
/// only when the skeleton changed, after a failed write, and every sixth resync pass, to repair drift.
public struct PolicyManager: ReconcileManager {
    public let concern = "policies"
    public let readsPolicies = true
    static let bridgeNetfilter = ["net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables"]
    private let memory = PolicyTableMemory()

    public init() {}

    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        let outcome: PolicyTableMemory.Outcome?
        do {
            outcome = try await memory.advance(to: desired)
        } catch {
            var plan = Plan()
            plan.refuse(desired.host.id, because: error.reason, skippingItsSteps: false)
            await memory.record(nil)
            return plan
        }
        let host = desired.host.id
        let full = await memory.startPass()
        let written = await memory.written
        if !full, let outcome, let written, written.comment == outcome.table.comment {
            return await update(outcome, from: written.generation, host: host)
        }
        if !full, outcome == nil, written == nil { return Plan() }

        var plan = Plan()
        let present = try await kernel.nftablesTables(in: nil).filter { $0.family == .inet && $0.name == PolicyRuleset.table }
        guard let outcome else {
            for table in present { plan.append(.deleteNftablesTable(table, namespace: nil), for: host) }
            await memory.record(nil)
            return plan
        }
        let current = try await kernel.sysctls(Self.bridgeNetfilter, in: nil)
        for key in Self.bridgeNetfilter where current[key] != "1" {
            plan.append(.setSysctl(key: key, value: "1", namespace: nil), for: host)
        }
        if present.contains(outcome.table), let written, written.comment == outcome.table.comment {
            for step in await update(outcome, from: written.generation, host: host).steps { plan.append(step.operation, for: step.object) }
        } else {
            plan.append(.replaceNftablesTable(outcome.table, ruleset: await memory.body(), namespace: nil), for: host)
        }
        await memory.record((outcome.table.comment, outcome.generation))
        return plan
    }

    public func resyncStarts() async { await memory.resyncStarts() }

    public func applied(failures: Int) async {
        if failures > 0 { await memory.record(nil) }
    }

    /// The set changes since the table the kernel holds, with the generation moved on, as one step.
    private func update(_ outcome: PolicyTableMemory.Outcome, from generation: String, host: String) async -> Plan {
        var plan = Plan()
        guard !outcome.changes.isEmpty else { return plan }
        let moved = [NftablesSetChange(set: "generation", removed: [generation], added: [outcome.generation]),
                     NftablesSetChange(set: "stamp", removed: ["ipv4", "ipv6"],
                                       added: ["ipv4 : \(outcome.generation)", "ipv6 : \(outcome.generation)"])]
        plan.append(.updateNftablesSets(outcome.table, outcome.changes + moved, namespace: nil), for: host)
        await memory.record((outcome.table.comment, outcome.generation))
        return plan
    }
}
