/// Host status as the controllers sharing a store see it: what the others report of the hosts
/// whose agents they serve, which hosts' status here changed since it was last reported to them,
/// and a host's status here merged with theirs. Status, not desired state: it lives in memory and
/// is read again from the store's reports.
struct SharedHostStatuses: Sendable {
    /// What the other controllers last reported, by host.
    private(set) var reported: [String: HostSessionStatus] = [:]
    /// Hosts whose status here changed since it was last taken for the other controllers.
    private var unreported: Set<String> = []

    var hasUnreported: Bool { !unreported.isEmpty }

    mutating func markChanged(_ hostID: String) {
        unreported.insert(hostID)
    }

    /// The status here of the hosts that changed since the last call, from `local`.
    mutating func takeChanged(from local: [String: HostSessionStatus]) -> [String: HostSessionStatus] {
        defer { unreported.removeAll() }
        return Dictionary(uniqueKeysWithValues: unreported.map { ($0, local[$0] ?? HostSessionStatus()) })
    }

    /// Replaces the reports; whether an acked revision is among the news.
    mutating func replaceReported(_ reports: [String: HostSessionStatus]) -> Bool {
        defer { reported = reports }
        return reports.contains { $0.value.ackedRevision != reported[$0.key]?.ackedRevision }
    }

    /// `local` merged with the host's report: open when a session is open anywhere, acked as far as
    /// any agent session acked, the details of the session that is open (or acked furthest).
    func merged(_ local: HostSessionStatus, host hostID: String) -> HostSessionStatus {
        guard let other = reported[hostID] else { return local }
        var merged = local.connected || (!other.connected && local.ackedRevision >= other.ackedRevision) ? local : other
        merged.connected = local.connected || other.connected
        merged.ackedRevision = max(local.ackedRevision, other.ackedRevision)
        merged.lastSeen = [local.lastSeen, other.lastSeen].compactMap { $0 }.max()
        return merged
    }
}
