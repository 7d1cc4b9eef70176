/// When a manager that skips reading what it found in place earlier reads everything anyway, to
/// repair drift: at its first pass (it knows nothing yet), then at every `every`-th resync pass. A
/// later pass for a change never does, so how fast a change reaches the kernel does not depend on
/// how much the host holds.
struct FullCheckSchedule: Sendable {
    private let every: Int
    private var resyncs = 0
    private var due = true

    init(every: Int) {
        self.every = max(1, every)
    }

    /// Counts a resync pass, which comes before the manager plans it.
    mutating func resyncStarts() {
        resyncs += 1
        if resyncs % every == 0 { due = true }
    }

    /// Starts a pass; true when it must read everything.
    mutating func startPass() -> Bool {
        defer { due = false }
        return due
    }
}
