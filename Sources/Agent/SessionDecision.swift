import Southbound

/// What the agent does with one controller message in a session, decided from the message and
/// the state the agent holds. Pure: the session acts on the decision.
enum SessionDecision: Equatable, Sendable {
    /// Realize this state and ack its revision.
    case apply(AppliedState)
    /// Nothing beyond noting that the controller is alive.
    case none
    /// A delta that does not start from the state the agent holds: reconnect, say hello with
    /// the held revision, and let the controller answer with a snapshot or a fitting delta.
    case resynchronize(held: Int64, deltaFrom: Int64)
    /// A renewed host certificate, PEM, to check and store.
    case renewed(String)
    /// The controller refused the session and closes it.
    case refused(code: String, message: String)
    /// The answer to one of the agent's port requests.
    case answer(PortAnswer)
    /// The endpoints of the host's services that are out now.
    case health(ServiceHealth)
    /// The controllers of the store, to keep and to move to when this one goes away.
    case controllers([String])
    /// A message that has no place in a session.
    case unexpected(String)

    /// The decision for `message` when the agent holds `held` (nil when it holds nothing).
    static func decide(_ message: ControllerMessage, holding held: AppliedState?) -> SessionDecision {
        switch message {
        case .snapshot(let revision, let state):
            return .apply(AppliedState(revision: revision, state: state))
        case .delta(let fromRevision, let revision, let delta):
            guard let held, held.revision == fromRevision else {
                return .resynchronize(held: held?.revision ?? 0, deltaFrom: fromRevision)
            }
            return .apply(AppliedState(revision: revision, state: delta.applied(to: held.state)))
        case .heartbeat:
            return .none
        case .refused(let code, let message):
            return .refused(code: code, message: message)
        case .renewed(let certificatePEM):
            return .renewed(certificatePEM)
        case .portAnswer(let answer):
            return .answer(answer)
        case .serviceHealth(let health):
            return .health(health)
        case .controllers(let addresses):
            return .controllers(addresses)
        case .enrolled:
            return .unexpected(message.summary)
        }
    }
}
