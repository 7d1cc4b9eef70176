import Metrics

/// The state the agent applied last: kept in memory, written to the state directory when the
/// agent persists it, and published to observers.
actor AppliedStateStore {
    /// The last applied state; nil before the first snapshot.
    private(set) var current: AppliedState?
    private let directory: AgentStateDirectory?
    private var observers: [Int: AsyncStream<AppliedState>.Continuation] = [:]
    private var nextObserver = 0
    private var isFinished = false
    /// The revision of the state applied last, for the agent's metrics.
    private static let appliedRevision = Gauge(label: "switchyard_agent_applied_revision")

    /// A store that persists to `directory`, or keeps the state in memory only when it is nil.
    init(directory: AgentStateDirectory?) {
        self.directory = directory
    }

    /// Takes over a state read back at start, without writing it again.
    func restore(_ state: AppliedState) {
        current = state
        publish(state)
    }

    /// Records a newly applied state and publishes it.
    func record(_ state: AppliedState) {
        current = state
        publish(state)
    }

    /// Writes the state to the state directory, unless a newer one was recorded meanwhile (its
    /// own write follows).
    /// - Throws: ``AgentError/unwritableFile(path:reason:)`` when the write fails.
    func persist(_ state: AppliedState) throws {
        guard current?.revision == state.revision else { return }
        try directory?.storeAppliedState(state)
    }

    /// The applied states from now on, starting with the current one when there is one. A slow
    /// reader skips intermediate states and sees the newest. The stream ends with ``finish()``.
    func updates() -> AsyncStream<AppliedState> {
        let (stream, continuation) = AsyncStream.makeStream(of: AppliedState.self, bufferingPolicy: .bufferingNewest(1))
        guard !isFinished else {
            continuation.finish()
            return stream
        }
        if let current { continuation.yield(current) }
        let id = nextObserver
        nextObserver += 1
        observers[id] = continuation
        continuation.onTermination = { _ in
            Task { await self.removeObserver(id) }
        }
        return stream
    }

    /// Ends every update stream, when the agent stops.
    func finish() {
        isFinished = true
        for continuation in observers.values { continuation.finish() }
        observers.removeAll()
    }

    private func publish(_ state: AppliedState) {
        Self.appliedRevision.record(state.revision)
        for continuation in observers.values { continuation.yield(state) }
    }

    private func removeObserver(_ id: Int) {
        observers[id] = nil
    }
}
