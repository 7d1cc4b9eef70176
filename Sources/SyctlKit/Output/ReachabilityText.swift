import Northbound

/// A reachability answer as `syctl explain` prints it: the verdict (and the service, when the
/// destination is a service's address), then each side's decision with the tier, policy and rule
/// that took it.
enum ReachabilityText {
    static func render(_ answer: Reachability, from: String, to: String) -> String {
        let flow = answer.port.map { "\(answer.protocol.rawValue)/\($0)" } ?? answer.protocol.rawValue
        func side(_ label: String, _ decision: PolicyDecision) -> String {
            var deciding: [String] = []
            if let tier = decision.tier { deciding.append("\(tier.rawValue) tier") }
            if let name = decision.policyName { deciding.append("policy \(name)") }
            if let rule = decision.rule { deciding.append(rule) }
            return "\(label) \(decision.verdict.rawValue): \(decision.reason)" + (deciding.isEmpty ? "" : " [\(deciding.joined(separator: ", "))]")
        }
        return [
            "\(from) → \(to)\(answer.service.map { ", service \($0)," } ?? "") (\(flow)) at revision \(answer.revision): "
                + (answer.allowed ? "allowed" : "denied"),
            side("  egress of the source:       ", answer.egress),
            side("  ingress of the destination: ", answer.ingress),
        ].joined(separator: "\n")
    }
}
