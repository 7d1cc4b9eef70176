/// Elements that arrive from another task, taken one at a time with a deadline so that a test
/// fails quickly instead of hanging when the agent does not do what it should.
actor AsyncQueue<Element: Sendable> {
    private var elements: [Element] = []
    private var isFinished = false

    func append(_ element: Element) {
        elements.append(element)
    }

    /// No more elements will come.
    func finish() {
        isFinished = true
    }

    /// How many elements are waiting.
    var count: Int { elements.count }

    /// The next element; nil once the queue is finished and drained.
    /// - Throws: ``TestTimeout`` when nothing arrives within `timeout`.
    func next(within timeout: Duration = .seconds(10)) async throws -> Element? {
        let deadline = ContinuousClock.now + timeout
        while elements.isEmpty {
            if isFinished { return nil }
            guard ContinuousClock.now < deadline else { throw TestTimeout(waitedFor: timeout) }
            try await Task.sleep(for: .milliseconds(5))
        }
        return elements.removeFirst()
    }
}

/// Nothing arrived in time.
struct TestTimeout: Error, CustomStringConvertible {
    let waitedFor: Duration
    var description: String { "nothing arrived within \(waitedFor)" }
}
