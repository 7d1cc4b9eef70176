import Compiler
import Foundation
import Metrics
import Northbound
import Southbound

/// The controller's view of every host: the compiled state it must hold, the state its agent has,
/// and what the agent acked. The only place where compiled state meets sessions.
///
/// Sessions pull: each has a wake-up signal, and on wake-up asks `nextMessage` for one message
/// that takes the agent from what it was last sent to the newest state. Revisions that land while
/// an agent is slow coalesce into that one delta, so no agent ever has a backlog and none can
/// hold up the controller or the others.
public actor SouthboundHub {
    private var compiler: IncrementalCompiler
    private var sessions: [String: Session] = [:]
    private var statuses: [String: HostSessionStatus] = [:]
    /// What the other controllers sharing the store report, and what changed here for them.
    private var shared = SharedHostStatuses()
    /// Tells the reporter to the other controllers that a host's status here changed.
    private var statusChanged: AsyncStream<Void>.Continuation?
    /// Hosts whose sessions wait for the change feed to reach the revision their agent holds.
    private var awaitingFeed: Set<String> = []
    /// With a store other controllers share, each host's state before its last change and the
    /// revisions it is known to have held over (`from` to `through`: the change feed may fold
    /// several revisions into one apply): an agent one change behind that moves here is sent a
    /// delta from it.
    private var previousStates: [String: (from: Int64, through: Int64, state: HostState)]?
    /// The revision at which each host's compiled state last changed.
    private var stateRevisions: [String: Int64] = [:]
    /// The state each host's agent acknowledged, to answer a reconnecting agent with a delta.
    private var acknowledged: [String: (revision: Int64, state: HostState)] = [:]
    /// Since when each host is known to the hub: a host never heard from counts as alive for a
    /// while after that, so a controller restart does not move edges away from hosts still running.
    private var knownSince: [String: Date] = [:]
    /// ``HostState/entryCount`` of hosts' compiled states, counted when the API first asks after
    /// a change (``fullHost(switches:routers:hosts:)``), not on every change: counting walks a
    /// host's whole state, and a policy change reaches every host.
    private var entryCounts: [String: Int] = [:]
    /// The most entries one host's state may hold before the API refuses what would add to it.
    public let maximumHostEntries: Int
    /// Shared by the sessions, which work out their deltas outside the hub's isolation.
    private nonisolated let policyDeltas = PolicyDeltaMemo()
    /// Grows with every ack and every applied revision: what a realization wait waits for.
    private var progress = 0
    private var progressWaiters: [UUID: (beyond: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var health = HealthBook()
    /// Followers of health transitions (watch streams), each told the services whose set of
    /// unhealthy endpoints changed.
    private var healthFollowers: [UUID: AsyncStream<Set<String>>.Continuation] = [:]

    /// The default bound of a host's state: 200,000 entries encode to about 20 MB, far below the
    /// frame limit, and an agent realizes them in well under a minute.
    public static let defaultMaximumHostEntries = 200_000

    private struct Session {
        let id: UUID
        let wake: AsyncStream<Void>.Continuation
        /// What the agent was last sent (nil until the first message).
        var sent: (revision: Int64, state: HostState)?
        /// The endpoint health the agent was last sent (nil until the first, which every session
        /// of a host with services gets).
        var sentHealth: ServiceHealth?
        /// The revision the agent said it holds in its hello.
        let applied: Int64
    }

    /// A hub for `desired`, whose hosts count as known since `startedAt`; `keepsPreviousStates`
    /// when other controllers share the store (agents move between them).
    public init(_ desired: DesiredState, startedAt: Date = Date(), maximumHostEntries: Int = defaultMaximumHostEntries,
                keepsPreviousStates: Bool = false) {
        compiler = HubMetrics.fullCompile.measure { IncrementalCompiler(desired) }
        self.maximumHostEntries = maximumHostEntries
        previousStates = keepsPreviousStates ? [:] : nil
        for hostID in compiler.hostStates.keys {
            stateRevisions[hostID] = desired.revision
            knownSince[hostID] = startedAt
        }
    }

    public var revision: Int64 { compiler.state.revision }

    /// Folds a committed revision's changes in and wakes the sessions of every host whose state changed.
    public func apply(_ changes: [DesiredChange], revision: Int64) {
        for case .host(let id, let host) in changes {
            knownSince[id] = host == nil ? nil : knownSince[id] ?? Date()
        }
        let edgesBefore = movableEdges(changes)
        let (statesBefore, revisionBefore) = (previousStates == nil ? [:] : compiler.hostStates, compiler.state.revision)
        let changed = HubMetrics.incrementalCompile.measure { compiler.apply(changes, revision: revision) }
        HubMetrics.edgeMoves.increment(by: edgesBefore.filter { $0.value != nil && compiler.edgeHost(router: $0.key) != $0.value }.count)
        for hostID in changed.keys {
            if let from = stateRevisions[hostID], let old = statesBefore[hostID] {
                previousStates?[hostID] = (from, revisionBefore, old)
            } else {
                previousStates?[hostID] = nil
            }
            stateRevisions[hostID] = revision
            entryCounts[hostID] = nil
            sessions[hostID]?.wake.yield()
        }
        wakeSessionsAwaitingFeed()
        advanceProgress()
    }

    /// Starts over from `desired` (the change history the hub needed is gone): recompiles every host
    /// and wakes the sessions of those whose state changed.
    public func reload(_ desired: DesiredState) {
        let before = compiler.hostStates
        compiler = HubMetrics.fullCompile.measure { IncrementalCompiler(desired) }
        if previousStates != nil { previousStates = [:] }
        for hostID in Set(before.keys).union(compiler.hostStates.keys) where before[hostID] != compiler.hostStates[hostID] {
            stateRevisions[hostID] = desired.revision
            entryCounts[hostID] = nil
            knownSince[hostID] = compiler.hostStates[hostID] == nil ? nil : knownSince[hostID] ?? Date()
            sessions[hostID]?.wake.yield()
        }
        wakeSessionsAwaitingFeed()
        advanceProgress()
    }

    private func wakeSessionsAwaitingFeed() {
        for hostID in awaitingFeed where (sessions[hostID]?.applied ?? 0) <= compiler.state.revision { sessions[hostID]?.wake.yield() }
    }

    /// The edge host of every router with an uplink (nil before its first placement, which is no
    /// move), when `changes` touch a host (whose
    /// availability or role decides edge placement); empty otherwise, as nothing else moves uplinks.
    private func movableEdges(_ changes: [DesiredChange]) -> [String: String?] {
        guard changes.contains(where: { if case .host = $0 { true } else { false } }) else { return [:] }
        return Dictionary(uniqueKeysWithValues: compiler.state.routers.values.filter { $0.externalNetwork != nil }
            .map { ($0.id, compiler.edgeHost(router: $0.id)) })
    }

    /// Registers a new session for a host (replacing an older one) after its hello.
    /// Returns the session id and the signal that tells the session to ask for its next message.
    public func attach(host hostID: String, appliedRevision: Int64, routingDomain: String? = nil) -> (UUID, AsyncStream<Void>) {
        let (wake, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        sessions[hostID]?.wake.finish()
        let id = UUID()
        var session = Session(id: id, wake: continuation, applied: appliedRevision)
        if let acked = acknowledged[hostID], acked.revision == appliedRevision, appliedRevision > 0 {
            session.sent = acked
            HubMetrics.sessionStart("delta").increment()
        }
        sessions[hostID] = session
        statuses[hostID, default: HostSessionStatus()].connected = true
        statuses[hostID]?.routingDomain = routingDomain
        statuses[hostID]?.lastSeen = Date()
        statusDidChange(hostID)
        continuation.yield()
        return (id, wake)
    }

    public func detach(host hostID: String, session id: UUID) {
        guard sessions[hostID]?.id == id else { return }
        sessions[hostID]?.wake.finish()
        sessions[hostID] = nil
        awaitingFeed.remove(hostID)
        statuses[hostID]?.connected = false
        statusDidChange(hostID)
    }

    /// The message that brings the session's agent up to date, or nil when it already is.
    /// A snapshot when the agent holds nothing known; otherwise one coalesced delta; once the
    /// state is sent, the health of its services' endpoints when that changed. The delta is worked
    /// out here, in the caller's task, not in the hub's isolation: diffing is most of a fan-out's
    /// work, and a thousand sessions then share it across the cores instead of queueing for the hub.
    public nonisolated func nextMessage(host hostID: String, session id: UUID) async -> ControllerMessage? {
        switch await nextUpdate(host: hostID, session: id) {
        case nil: nil
        case .message(let message): message
        case .delta(let sent, let current): .delta(fromRevision: sent.revision, revision: current.revision,
                                                   delta: HostStateDelta(from: sent.state, to: current.state, policyDelta: policyDeltas.delta))
        }
    }

    /// What ``nextMessage(host:session:)`` sends: a message, or the two states a delta is made of.
    private enum Update {
        case message(ControllerMessage)
        case delta(sent: (revision: Int64, state: HostState), current: (revision: Int64, state: HostState))
    }

    private func nextUpdate(host hostID: String, session id: UUID) -> Update? {
        guard var session = sessions[hostID], session.id == id, let state = compiler.hostStates[hostID] else { return nil }
        let revision = stateRevisions[hostID] ?? compiler.state.revision
        if session.sent == nil {
            switch resumption(host: hostID, applied: session.applied) {
            case .awaitFeed:
                awaitingFeed.insert(hostID)
                return nil
            case .holdsCurrent:
                resume(host: hostID, session: &session, holding: state, kind: "resumed")
                sessions[hostID] = session
                return healthMessage(host: hostID, state: state).map(Update.message)
            case .holdsPrevious(let held):
                resume(host: hostID, session: &session, holding: held, kind: "delta")
            case .needsSnapshot:
                awaitingFeed.remove(hostID)
            }
        }
        let update: Update
        if let sent = session.sent {
            guard sent.state != state else { return healthMessage(host: hostID, state: state).map(Update.message) }
            update = .delta(sent: sent, current: (revision, state))
        } else {
            HubMetrics.sessionStart("snapshot").increment()
            update = .message(.snapshot(revision: revision, state: state))
        }
        session.sent = (revision, state)
        sessions[hostID] = session
        return update
    }

    private enum Resumption {
        /// The agent holds the current state (nothing to send) or the one before (a delta from it).
        case holdsCurrent, holdsPrevious(HostState)
        case awaitFeed, needsSnapshot
    }

    /// Takes `held` as what the session's agent was sent and acked.
    private func resume(host hostID: String, session: inout Session, holding held: HostState, kind: String) {
        awaitingFeed.remove(hostID)
        HubMetrics.sessionStart(kind).increment()
        session.sent = (session.applied, held)
        acknowledged[hostID] = session.sent
        recordAck(host: hostID, revision: session.applied, errors: shared.reported[hostID]?.errors ?? [])
    }

    /// What an agent that holds `applied` and was not sent anything by this controller holds,
    /// when another controller of the store sent it: that controller reported the ack of `applied`
    /// (so the revision is of this store's history, not a database the agent knew before), and the
    /// host's state has not changed since (the current state) or changed once (the previous one).
    /// While the change feed is behind the agent, the session waits for it rather than send an
    /// older state.
    private func resumption(host hostID: String, applied: Int64) -> Resumption {
        guard applied > 0, shared.reported[hostID]?.ackedRevision == applied else { return .needsSnapshot }
        guard compiler.state.revision >= applied else { return .awaitFeed }
        let changedAt = stateRevisions[hostID] ?? 0
        if changedAt <= applied { return .holdsCurrent }
        if let previous = previousStates?[hostID], (previous.from...previous.through).contains(applied) { return .holdsPrevious(previous.state) }
        return .needsSnapshot
    }

    /// The health of the services in `state` when the host's session was not sent it yet; every
    /// session of a host with services gets it once.
    private func healthMessage(host hostID: String, state: HostState) -> ControllerMessage? {
        let services = state.services.map { Array($0.keys) } ?? []
        guard var session = sessions[hostID], !services.isEmpty || session.sentHealth != nil else { return nil }
        let current = ServiceHealth(unhealthy: health.unhealthy(of: services))
        guard current != session.sentHealth else { return nil }
        session.sentHealth = current
        sessions[hostID] = session
        return .serviceHealth(current)
    }

    /// Records what a host's health checks found, and wakes the sessions of the hosts whose
    /// services it changes. A host speaks only for the endpoints bound to it: a verdict about
    /// another host's port is dropped, so no host can take another's workloads out of a service.
    public func reportHealth(host hostID: String, report: EndpointHealthReport) {
        var report = report
        report.endpoints.removeAll { compiler.state.ports[$0.port]?.host != hostID }
        let changed = health.record(report, from: hostID)
        guard !changed.isEmpty else { return }
        for follower in healthFollowers.values { follower.yield(changed) }
        for (client, session) in sessions {
            guard let services = compiler.hostStates[client]?.services, changed.contains(where: { services[$0] != nil }) else { continue }
            session.wake.yield()
        }
    }

    /// The services with checked endpoints now, and from now on each set of services whose
    /// unhealthy endpoints changed, until the stream is dropped.
    public func followHealth() -> (checked: Set<String>, transitions: AsyncStream<Set<String>>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Set<String>.self, bufferingPolicy: .bufferingNewest(1_024))
        let id = UUID()
        healthFollowers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unfollowHealth(id) } }
        return (Set(health.verdicts.filter { !$0.value.isEmpty }.keys), stream)
    }

    private func unfollowHealth(_ id: UUID) {
        healthFollowers[id] = nil
    }

    /// The last verdict of each checked endpoint of a service, by port id.
    public func endpointHealth(ofService id: String) -> [String: EndpointHealthView] {
        (health.verdicts[id] ?? [:]).mapValues { EndpointHealthView(healthy: $0.healthy, checkedAt: $0.checkedAt, output: $0.output) }
    }

    /// Records an ack: the host holds the state it was sent at `revision`.
    public func acknowledge(host hostID: String, session id: UUID, revision: Int64, errors: [ObjectError]) {
        statuses[hostID, default: HostSessionStatus()].lastSeen = Date()
        guard let session = sessions[hostID], session.id == id, let sent = session.sent, sent.revision == revision else { return }
        acknowledged[hostID] = sent
        recordAck(host: hostID, revision: revision, errors: errors)
    }

    private func recordAck(host hostID: String, revision: Int64, errors: [ObjectError]) {
        var status = statuses[hostID] ?? HostSessionStatus()
        status.ackedRevision = max(status.ackedRevision, revision)
        status.errors = errors
        statuses[hostID] = status
        statusDidChange(hostID)
        advanceProgress()
    }

    private func statusDidChange(_ hostID: String) {
        shared.markChanged(hostID)
        statusChanged?.yield()
    }

    /// A signal each time the status of a host served here changes, for the controller's reporter
    /// to the other controllers sharing the store (one follower: a second replaces the first).
    public func followStatusChanges() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        statusChanged?.finish()
        statusChanged = continuation
        if shared.hasUnreported { continuation.yield() }
        return stream
    }

    /// The status here of the hosts whose status changed since the last call, to report.
    public func takeStatusChanges() -> [String: HostSessionStatus] {
        shared.takeChanged(from: statuses)
    }

    /// Replaces what the other controllers reported (every host's latest report but this
    /// controller's own), and wakes the realization waits when an ack is among the news.
    public func updateReportedStatuses(_ reported: [String: HostSessionStatus]) {
        let acksChanged = shared.replaceReported(reported)
        for hostID in awaitingFeed { sessions[hostID]?.wake.yield() }
        if acksChanged { advanceProgress() }
    }

    /// This controller's status of a host merged with the other controllers' reports.
    private func mergedStatus(of hostID: String) -> HostSessionStatus {
        shared.merged(statuses[hostID] ?? HostSessionStatus(), host: hostID)
    }

    /// A number that grows whenever a revision is applied or an agent acks.
    public var progressMark: Int { progress }

    /// Returns once progress has passed `mark`, after `timeout`, or when the calling task is
    /// cancelled (its client went away), whichever comes first.
    public func waitForProgress(beyond mark: Int, timeout: Duration) async {
        guard progress <= mark, !Task.isCancelled else { return }
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.resumeWaiter(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                progressWaiters[id] = (mark, continuation)
            }
        } onCancel: {
            timer.cancel()
            Task { [weak self] in await self?.resumeWaiter(id) }
        }
        timer.cancel()
    }

    private func resumeWaiter(_ id: UUID) {
        progressWaiters.removeValue(forKey: id)?.continuation.resume()
    }

    private func advanceProgress() {
        progress += 1
        for (id, waiter) in progressWaiters where waiter.beyond < progress { resumeWaiter(id) }
    }

    /// The first host, by name, that would hold more state if `switches` got a port, `routers` an
    /// interface or route, or a port were bound to one of `hosts`, and that already holds
    /// ``maximumHostEntries``; nil when every such host has room.
    public func fullHost(switches: [String], routers: [String], hosts: [String]) -> String? {
        var affected = Set(hosts)
        for switchID in switches { affected.formUnion(compiler.hostsPresent(switch: switchID)) }
        for routerID in routers { affected.formUnion(compiler.hostsRunning(router: routerID)) }
        return affected.filter { entryCount(of: $0) >= maximumHostEntries }
            .compactMap { compiler.state.hosts[$0]?.name }.min()
    }

    private func entryCount(of hostID: String) -> Int {
        if let known = entryCounts[hostID] { return known }
        let count = compiler.hostStates[hostID]?.entryCount ?? 0
        entryCounts[hostID] = count
        return count
    }

    /// The path `query` takes through the compiled state, each hop marked with whether its host
    /// acked the state it relies on.
    public func trace(_ query: TraceQuery) -> Trace {
        let current = Set(compiler.hostStates.keys.filter { hasRealized(host: $0, revision: stateRevisions[$0] ?? 0) })
        var tracer = Tracer(desired: compiler.state, hosts: compiler.hostStates, unhealthy: unhealthyEndpoints,
                            realized: { current.contains($0) })
        return tracer.trace(query)
    }

    /// Service id → the endpoints failing their checks, which the hosts send nothing.
    private var unhealthyEndpoints: [String: Set<String>] {
        health.unhealthy(of: compiler.state.services.keys).mapValues(Set.init)
    }

    public func reachability(_ query: TraceQuery) -> Reachability? {
        guard compiler.state.ports[query.from] != nil else { return nil }
        let evaluator = PolicyEvaluator(state: compiler.state, unhealthy: unhealthyEndpoints)
        return evaluator.reachability(from: query.from, to: query.target, protocol: query.protocol, port: query.port)
    }

    /// What the metrics report of the hub at a scrape: the compiled revision, the connected hosts,
    /// and how many revisions each known host is behind (0 once it acked the newest revision that
    /// changed its state).
    public func metricsSnapshot() -> HubMetricsSnapshot {
        let lags = compiler.state.hosts.values.map { host in
            let acked = mergedStatus(of: host.id).ackedRevision
            let changed = stateRevisions[host.id] ?? 0
            return (host.name, acked >= changed ? 0 : changed - acked)
        }
        return HubMetricsSnapshot(revision: compiler.state.revision, connectedHosts: sessions.count,
                                  revisionLag: Dictionary(lags, uniquingKeysWith: max))
    }

    public func heard(from hostID: String) {
        statuses[hostID]?.lastSeen = Date()
    }

    /// The compiled state the host should hold now.
    public func compiledState(of hostID: String) -> HostState? {
        compiler.hostStates[hostID]
    }

    public func status(of hostID: String) -> HostSessionStatus {
        mergedStatus(of: hostID)
    }

    /// Whether the host has realized everything up to `revision` that concerns it: it acked its
    /// current state, and that state is at least as new as `revision` or was not changed since.
    public func hasRealized(host hostID: String, revision: Int64) -> Bool {
        guard compiler.state.revision >= revision else { return false }
        let acked = mergedStatus(of: hostID).ackedRevision
        return acked >= revision || acked >= (stateRevisions[hostID] ?? 0)
    }

    /// The hosts that hold state about a port: every host where its switch is present.
    public func hostsRealizing(port portID: String) -> [String] {
        guard let port = compiler.state.ports[portID] else { return [] }
        return compiler.hostsPresent(switch: port.switch).sorted()
    }

    /// The edge hosts whose availability should change: those not heard from for `lostAfter` are
    /// lost, those heard from again are back. A host not heard from since the hub started gets
    /// `unheardGrace` more, for its agent to reconnect after a controller restart (its backoff is
    /// capped at 10 s) before its routers are moved. The caller records the changes in the store,
    /// so each move has a revision of its own and reaches the hub through the change feed.
    public func edgeAvailabilityChanges(lostAfter: TimeInterval, unheardGrace: TimeInterval = 15, heardElsewhere: [String: Date] = [:],
                                        now: Date = Date()) -> [(host: String, available: Bool)] {
        compiler.state.hosts.values.filter { $0.role == .edge }.sorted { $0.id < $1.id }.compactMap { host in
            let heard = [statuses[host.id]?.lastSeen, heardElsewhere[host.id]].compactMap { $0 }.max()
            guard let since = heard ?? knownSince[host.id] else { return nil }
            let lost = now.timeIntervalSince(since) > lostAfter + (heard == nil ? unheardGrace : 0)
            return lost == host.available ? (host.id, !lost) : nil
        }
    }

    /// When this controller last heard each host it has heard at all.
    public func lastHeard() -> [String: Date] {
        statuses.compactMapValues(\.lastSeen)
    }

    /// The edge host carrying a router's uplink now, if any.
    public func edgeHost(ofRouter routerID: String) -> String? {
        compiler.edgeHost(router: routerID)
    }

    /// The hosts that run a router's instance or carry its uplink.
    public func hostsRealizing(router routerID: String) -> [String] {
        compiler.hostsRunning(router: routerID).sorted()
    }
}
