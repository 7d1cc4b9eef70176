import Kernel

/// A `bridge` family table the agent replaces whole when its generated body changes (its comment
/// carries the body's hash), and skips reading while it was last found as wanted; every sixth
/// resync pass lists the tables anyway, to repair drift.
struct WholeBridgeTable: Sendable {
    let name: String
    private let verified = VerifiedObjects<String>(fullEvery: 6)

    init(name: String) {
        self.name = name
    }

    func resyncStarts() async { await verified.resyncStarts() }

    /// The plan that brings the table to `body` (nil: no table), reading the host's tables
    /// unless the same body was found in place at an earlier pass.
    func plan(body: String?, host: String, in kernel: any Kernel) async throws -> Plan {
        let wanted = body ?? ""
        if await !verified.startPass(), await verified.entry(for: name) == wanted { return Plan() }
        let plan = Self.plan(name: name, body: body, host: host, observed: try await kernel.nftablesTables(in: nil))
        await verified.record(plan.isEmpty ? [(name, wanted)] : [])
        return plan
    }

    /// Replaces the table when what is in place was generated from another body; deletes it when
    /// none is wanted. Steps are on behalf of the host.
    static func plan(name: String, body: String?, host: String, observed: [NftablesTable]) -> Plan {
        var plan = Plan()
        let present = observed.filter { $0.family == .bridge && $0.name == name }
        guard let body else {
            for table in present { plan.append(.deleteNftablesTable(table, namespace: nil), for: host) }
            return plan
        }
        let wanted = NftablesTable.identifying(body, family: .bridge, name: name)
        if !present.contains(wanted) { plan.append(.replaceNftablesTable(wanted, ruleset: body, namespace: nil), for: host) }
        return plan
    }
}
