import Southbound

extension ControllerMessage {
    /// A short description for logs and errors, without the state it may carry.
    var summary: String {
        switch self {
        case .snapshot(let revision, _): "snapshot at revision \(revision)"
        case .delta(let fromRevision, let revision, _): "delta from revision \(fromRevision) to \(revision)"
        case .heartbeat: "heartbeat"
        case .enrolled: "enrolled"
        case .renewed: "renewed"
        case .refused(let code, let message): "refused (\(code)): \(message)"
        case .portAnswer(let answer): "answer to port request \(answer.requestID)"
        case .serviceHealth(let health): "health: \(health.unhealthy.values.reduce(0) { $0 + $1.count }) endpoints out"
        case .controllers(let addresses): "controllers: \(addresses.joined(separator: ", "))"
        }
    }
}
