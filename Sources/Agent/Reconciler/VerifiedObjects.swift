/// The objects a manager found as desired at an earlier pass, with the desired state it checked
/// them against, so that later passes can skip reading them (a workload's or router's namespace
/// costs netlink dumps, a thread, an nftables listing) while nothing about them changes.
/// Every `fullEvery`-th resync pass reads everything again, to repair drift that happened meanwhile.
actor VerifiedObjects<Entry: Equatable & Sendable> {
    private var entries: [String: Entry] = [:]
    private var schedule: FullCheckSchedule

    init(fullEvery: Int) {
        schedule = FullCheckSchedule(every: fullEvery)
    }

    func resyncStarts() { schedule.resyncStarts() }

    /// Starts a pass; true when it must read everything.
    func startPass() -> Bool { schedule.startPass() }

    func entry(for object: String) -> Entry? { entries[object] }

    /// Replaces what is verified with what this pass left matching.
    func record(_ verified: [(String, Entry)]) {
        entries = Dictionary(verified, uniquingKeysWith: { _, last in last })
    }
}
