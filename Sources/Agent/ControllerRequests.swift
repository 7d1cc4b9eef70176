import Southbound

/// The agent's requests to the controller on behalf of local container runtimes, answered over
/// the session: each gets an id, and the answer with that id resumes it. Without a session, or
/// when the session ends first, a request fails as `unavailable` (the runtime tries again later).
public actor ControllerRequests {
    private var send: (@Sendable (AgentMessage) async throws -> Void)?
    /// Each waiting request, and the task that sends it and fails it after the timeout.
    private var pending: [Int64: (continuation: CheckedContinuation<PortAnswer, any Error>, sender: Task<Void, Never>)] = [:]
    private var nextID: Int64 = 1
    private let timeout: Duration
    /// Run whenever a session opens, after `send` is set (the health checker's full report).
    private var connectHooks: [@Sendable () async -> Void] = []

    public init(timeout: Duration = .seconds(15)) { self.timeout = timeout }

    /// Whether a session is up, so that requests can be sent.
    public var isConnected: Bool { send != nil }

    /// Sends the message `make` builds with a fresh request id and waits for its answer; a refusal
    /// throws ``PortRefusal``.
    public func ask(_ make: @Sendable (Int64) -> AgentMessage) async throws -> PortAnswer {
        guard let send else { throw Self.unavailable("no session with the controller") }
        let id = nextID
        nextID += 1
        let message = make(id)
        let timeout = self.timeout
        let answer = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PortAnswer, any Error>) in
            let sender = Task {
                do {
                    try await send(message)
                } catch {
                    self.fail(id, Self.unavailable("cannot send to the controller: \(error)"))
                    return
                }
                // Cancelled once the answer came.
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self.fail(id, Self.unavailable("the controller did not answer within \(timeout)"))
            }
            pending[id] = (continuation, sender)
        }
        if let refusal = answer.error { throw refusal }
        return answer
    }

    func connected(sending send: @escaping @Sendable (AgentMessage) async throws -> Void) async {
        self.send = send
        for hook in connectHooks { await hook() }
    }

    /// Runs `hook` each time a session opens.
    public func whenConnected(_ hook: @escaping @Sendable () async -> Void) {
        connectHooks.append(hook)
    }

    /// Sends a message that needs no answer; without a session it is dropped (what it says is
    /// sent again when the next one opens).
    public func tell(_ message: AgentMessage) async {
        guard let send else { return }
        try? await send(message)
    }

    /// The session ended: what is still waiting fails, and new requests fail until the next one.
    func disconnected() {
        send = nil
        for id in Array(pending.keys) { fail(id, Self.unavailable("the session with the controller ended")) }
    }

    func answered(_ answer: PortAnswer) {
        guard let waiting = pending.removeValue(forKey: answer.requestID) else { return }
        waiting.sender.cancel()
        waiting.continuation.resume(returning: answer)
    }

    private func fail(_ id: Int64, _ error: PortRefusal) {
        pending.removeValue(forKey: id)?.continuation.resume(throwing: error)
    }

    static func unavailable(_ message: String) -> PortRefusal { PortRefusal(code: "unavailable", message: message) }
}
