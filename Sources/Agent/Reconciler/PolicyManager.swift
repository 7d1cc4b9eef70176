import Kernel
import Southbound

/// Enforces the host's policies (``PolicyRuleset``): turns on br_netfilter for IPv4 and IPv6 in
/// the agent's namespace while there are policies, and replaces the `inet sy-policy` table whole
/// when its generated body changes. It runs after anti-spoofing and before the ports are plumbed,
/// so a new port's first packets already meet its rules.
public struct PolicyManager: ReconcileManager {
    public let concern = "policies"
    static let bridgeNetfilter = ["net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables"]
    private let writer = WholeTable(family: .inet, name: PolicyRuleset.table)

    public init() {}

    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        let body: String?
        do {
            body = try PolicyRuleset.body(desired)
        } catch {
            var plan = Plan()
            plan.refuse(desired.host.id, because: error.reason, skippingItsSteps: false)
            return plan
        }
        var plan = Plan()
        if body != nil {
            let current = try await kernel.sysctls(Self.bridgeNetfilter, in: nil)
            for key in Self.bridgeNetfilter where current[key] != "1" {
                plan.append(.setSysctl(key: key, value: "1", namespace: nil), for: desired.host.id)
            }
        }
        let table = try await writer.plan(body: body, host: desired.host.id, in: kernel)
        for step in table.steps { plan.append(step.operation, for: step.object) }
        return plan
    }
}
