import Foundation
import Northbound
import Southbound
import Store

/// Shares host status among the controllers of one store, so each answers for every host
/// wherever its agent is connected: `?wait=realized`, a host's status, resuming an agent that
/// moved here without sending it what it holds. It reports what changes here (sessions opening
/// and closing, acks) as it happens, and reads the others' reports when one is announced and
/// every `refreshInterval` (for when controllers and hosts were last heard).
public struct HostStatusSharing: Sendable {
    let hub: SouthboundHub
    let store: Store
    /// This controller's southbound address, its name in the reports.
    let controller: String
    let refreshInterval: Duration

    public init(hub: SouthboundHub, store: Store, controller: String, refreshInterval: Duration = .seconds(2)) {
        self.hub = hub
        self.store = store
        self.controller = controller
        self.refreshInterval = refreshInterval
    }

    /// Runs until cancelled; a failed report or read is tried again at the next change or tick.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await report() }
            group.addTask { try await follow() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Reports what changed here, after marking the sessions it reported in an earlier run closed;
    /// what could not be written (the database is away) is written with the next changes, a
    /// second later at the latest.
    private func report() async throws {
        while (try? await store.closeHostSessions(controller: controller)) == nil {
            try await Task.sleep(for: .seconds(1))
        }
        var changes = await hub.followStatusChanges().makeAsyncIterator()
        var pending: [String: HostSessionStatus] = [:]
        while true {
            if pending.isEmpty, await changes.next() == nil { return }
            pending.merge(await hub.takeStatusChanges()) { $1 }
            let reports = pending.map { host, status in
                HostStatusReport(host: host, controller: controller, connected: status.connected, ackedRevision: status.ackedRevision,
                                 errors: status.errors.map { RealizationError(object: $0.object, message: $0.message) },
                                 routingDomain: status.routingDomain)
            }
            do {
                try await store.reportHostStatus(reports)
                pending.removeAll()
            } catch {
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Reads the reports at each announcement and every `refreshInterval`, one read at a time (a
    /// read that ended late must not replace a newer one).
    private func follow() async throws {
        let (reads, due) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let announced = store.hostStatusReports()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in announced { due.yield() }
            }
            group.addTask {
                while true {
                    due.yield()
                    try await Task.sleep(for: refreshInterval)
                }
            }
            group.addTask {
                for await _ in reads { try? await refresh() }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Reads every report into the hub. A report of this controller's own (from before a restart)
    /// counts for its acks only: whether a session is open here, the hub knows itself.
    func refresh() async throws {
        let reports = try await store.hostStatuses()
        let statuses = Dictionary(reports.map { report in
            var status = HostSessionStatus(connected: report.connected && report.controller != controller, lastSeen: report.lastSeen,
                                           ackedRevision: report.ackedRevision,
                                           errors: report.errors.map { ObjectError(object: $0.object, message: $0.message) })
            status.routingDomain = report.routingDomain
            return (report.host, status)
        }, uniquingKeysWith: { first, _ in first })
        await hub.updateReportedStatuses(statuses)
    }
}
