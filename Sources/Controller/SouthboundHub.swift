import Compiler
import Foundation
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
    /// The revision at which each host's compiled state last changed.
    private var stateRevisions: [String: Int64] = [:]
    /// The state each host's agent acknowledged, to answer a reconnecting agent with a delta.
    private var acknowledged: [String: (revision: Int64, state: HostState)] = [:]
    /// Since when each host is known to the hub: a host never heard from counts as alive for a
    /// while after that, so a controller restart does not move edges away from hosts still running.
    private var knownSince: [String: Date] = [:]

    private struct Session {
        let id: UUID
        let wake: AsyncStream<Void>.Continuation
        /// What the agent was last sent (nil until the first message).
        var sent: (revision: Int64, state: HostState)?
    }

    /// A hub for `desired`, whose hosts count as known since `startedAt`.
    public init(_ desired: DesiredState, startedAt: Date = Date()) {
        compiler = IncrementalCompiler(desired)
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
        let changed = compiler.apply(changes, revision: revision)
        for hostID in changed.keys {
            stateRevisions[hostID] = revision
            sessions[hostID]?.wake.yield()
        }
    }

    /// Registers a new session for a host (replacing an older one) after its hello.
    /// Returns the session id and the signal that tells the session to ask for its next message.
    public func attach(host hostID: String, appliedRevision: Int64, routingDomain: String? = nil) -> (UUID, AsyncStream<Void>) {
        let (wake, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        sessions[hostID]?.wake.finish()
        let id = UUID()
        var session = Session(id: id, wake: continuation)
        if let acked = acknowledged[hostID], acked.revision == appliedRevision, appliedRevision > 0 {
            session.sent = acked
        }
        sessions[hostID] = session
        statuses[hostID, default: HostSessionStatus()].connected = true
        statuses[hostID]?.routingDomain = routingDomain
        statuses[hostID]?.lastSeen = Date()
        continuation.yield()
        return (id, wake)
    }

    public func detach(host hostID: String, session id: UUID) {
        guard sessions[hostID]?.id == id else { return }
        sessions[hostID]?.wake.finish()
        sessions[hostID] = nil
        statuses[hostID]?.connected = false
    }

    /// The message that brings the session's agent up to date, or nil when it already is.
    /// A snapshot when the agent holds nothing known; otherwise one coalesced delta.
    public func nextMessage(host hostID: String, session id: UUID) -> ControllerMessage? {
        guard var session = sessions[hostID], session.id == id, let state = compiler.hostStates[hostID] else { return nil }
        let revision = stateRevisions[hostID] ?? compiler.state.revision
        let message: ControllerMessage
        if let sent = session.sent {
            guard sent.state != state else { return nil }
            message = .delta(fromRevision: sent.revision, revision: revision, delta: HostStateDelta(from: sent.state, to: state))
        } else {
            message = .snapshot(revision: revision, state: state)
        }
        session.sent = (revision, state)
        sessions[hostID] = session
        return message
    }

    /// Records an ack: the host holds the state it was sent at `revision`.
    public func acknowledge(host hostID: String, session id: UUID, revision: Int64, errors: [ObjectError]) {
        statuses[hostID, default: HostSessionStatus()].lastSeen = Date()
        guard let session = sessions[hostID], session.id == id, let sent = session.sent, sent.revision == revision else { return }
        acknowledged[hostID] = sent
        var status = statuses[hostID] ?? HostSessionStatus()
        status.ackedRevision = max(status.ackedRevision, revision)
        status.errors = errors
        statuses[hostID] = status
    }

    public func heard(from hostID: String) {
        statuses[hostID]?.lastSeen = Date()
    }

    /// The compiled state the host should hold now.
    public func compiledState(of hostID: String) -> HostState? {
        compiler.hostStates[hostID]
    }

    public func status(of hostID: String) -> HostSessionStatus {
        statuses[hostID] ?? HostSessionStatus()
    }

    /// Whether the host has realized everything up to `revision` that concerns it: it acked its
    /// current state, and that state is at least as new as `revision` or was not changed since.
    public func hasRealized(host hostID: String, revision: Int64) -> Bool {
        guard compiler.state.revision >= revision else { return false }
        let acked = statuses[hostID]?.ackedRevision ?? 0
        return acked >= revision || acked >= (stateRevisions[hostID] ?? 0)
    }

    /// The hosts that hold state about a port: every host where its switch is present.
    public func hostsRealizing(port portID: String) -> [String] {
        compiler.hostStates.compactMap { hostID, state in
            guard let port = compiler.state.ports[portID], state.switches[port.switch] != nil else { return nil }
            return hostID
        }.sorted()
    }

    /// The edge hosts whose availability should change: those not heard from for `lostAfter` are
    /// lost, those heard from again are back. A host not heard from since the hub started gets
    /// `unheardGrace` more, for its agent to reconnect after a controller restart (its backoff is
    /// capped at 10 s) before its routers are moved. The caller records the changes in the store,
    /// so each move has a revision of its own and reaches the hub through the change feed.
    public func edgeAvailabilityChanges(lostAfter: TimeInterval, unheardGrace: TimeInterval = 15,
                                        now: Date = Date()) -> [(host: String, available: Bool)] {
        compiler.state.hosts.values.filter { $0.role == .edge }.sorted { $0.id < $1.id }.compactMap { host in
            let heard = statuses[host.id]?.lastSeen
            guard let since = heard ?? knownSince[host.id] else { return nil }
            let lost = now.timeIntervalSince(since) > lostAfter + (heard == nil ? unheardGrace : 0)
            return lost == host.available ? (host.id, !lost) : nil
        }
    }

    /// The edge host carrying a router's uplink now, if any.
    public func edgeHost(ofRouter routerID: String) -> String? {
        compiler.hostStates.first { $0.value.edgeRouters[routerID] != nil }?.key
    }

    /// The hosts that run a router's instance or carry its uplink.
    public func hostsRealizing(router routerID: String) -> [String] {
        compiler.hostStates.compactMap { hostID, state in
            state.routers[routerID] != nil || state.edgeRouters[routerID] != nil ? hostID : nil
        }.sorted()
    }
}
