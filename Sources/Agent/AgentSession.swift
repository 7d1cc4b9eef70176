import Logging
import SessionTransport
import Southbound

/// One session with the controller, from hello until either side ends it (`schemas/wire.md`).
///
/// Three tasks share the connection. The reader takes every frame as it arrives, so the
/// controller's heartbeats are seen even while a state is being realized, and turns snapshots and
/// deltas into complete states. The realizer task realizes the newest of those states and acks its
/// revision: states that arrive while it is busy are coalesced, and only the newest is realized,
/// since a host realized at R counts as realized at every revision before R. The keep-alive task
/// sends a heartbeat whenever the session has been idle for an interval, and ends the session
/// when the controller has been silent for `controllerTimeout`. The renewal task asks for a new
/// certificate when the ``CertificateRenewer`` says it is due.
struct AgentSession: Sendable {
    /// Why a session ended without an error.
    enum End: Equatable, Sendable {
        /// The controller closed the connection.
        case closedByController
        /// A delta did not fit the held state; a new session gets a snapshot or a fitting delta.
        case resynchronize(held: Int64, deltaFrom: Int64)
        /// The controller refused the session.
        case refused(code: String, message: String)
    }

    let connector: SessionConnector
    let controller: ControllerAddress
    let controllers: ControllerRotation
    let heartbeatInterval: Duration
    let routingDomain: String?
    let controllerTimeout: Duration
    let realizer: any StateRealizer
    let store: AppliedStateStore
    let renewer: CertificateRenewer
    let requests: ControllerRequests
    let logger: Logger

    /// Connects, says hello with the held revision, and serves the session until it ends.
    /// - Throws: connection errors, ``AgentError/controllerSilent(seconds:)``,
    ///   ``AgentError/malformedMessage(reason:)``, ``AgentError/unexpectedMessage(expected:received:)``.
    func run() async throws -> End {
        try await connector.withSession(host: controller.host, port: controller.port) { inbound, outbound in
            let activity = SessionActivity(now: .now)
            let held = await store.current
            try await send(.hello(.init(appliedRevision: held?.revision ?? 0, routingDomain: routingDomain)), to: outbound,
                           activity: activity)
            logger.info("session open", metadata: ["controller": "\(controller)", "appliedRevision": "\(held?.revision ?? 0)"])
            let (states, newestState) = AsyncStream.makeStream(of: AppliedState.self, bufferingPolicy: .bufferingNewest(1))
            await requests.connected { message in try await send(message, to: outbound, activity: activity) }
            do {
                let end = try await withThrowingTaskGroup(of: End?.self) { group in
                    group.addTask { try await receive(inbound, startingFrom: held, into: newestState, activity: activity) }
                    group.addTask { try await realize(states, acknowledgingTo: outbound, activity: activity) }
                    group.addTask { try await keepAlive(outbound, activity: activity) }
                    group.addTask { try await renewWhenDue(outbound, activity: activity) }
                    for try await case let end? in group {
                        group.cancelAll()
                        return end
                    }
                    return End.closedByController
                }
                await requests.disconnected()
                return end
            } catch {
                await requests.disconnected()
                throw error
            }
        }
    }

    /// Reads frames until the session ends, passing each new complete state to the realizer task.
    private func receive(
        _ inbound: InboundFrames,
        startingFrom initial: AppliedState?,
        into newestState: AsyncStream<AppliedState>.Continuation,
        activity: SessionActivity
    ) async throws -> End {
        var latest = initial
        for try await frame in inbound {
            await activity.noteReceived()
            let message = try WireCodec.decode(frame)
            switch SessionDecision.decide(message, holding: latest) {
            case .apply(let applied):
                latest = applied
                newestState.yield(applied)
            case .none:
                continue
            case .answer(let answer):
                await requests.answered(answer)
            case .health(let health):
                await realizer.applyHealth(health)
            case .controllers(let addresses):
                await controllers.replace(with: addresses, logger: logger)
            case .renewed(let certificatePEM):
                do {
                    try await renewer.accept(certificatePEM: certificatePEM)
                    logger.notice("host certificate renewed")
                } catch {
                    logger.warning("cannot use the renewed certificate", metadata: ["reason": "\(error)"])
                }
            case .resynchronize(let held, let deltaFrom):
                return .resynchronize(held: held, deltaFrom: deltaFrom)
            case .refused(let code, let message):
                return .refused(code: code, message: message)
            case .unexpected(let summary):
                throw AgentError.unexpectedMessage(expected: "snapshot, delta or heartbeat", received: summary)
            }
        }
        return .closedByController
    }

    /// Realizes each state the reader passes on, records it and acks its revision; ends when the
    /// session does.
    private func realize(
        _ states: AsyncStream<AppliedState>,
        acknowledgingTo outbound: FrameWriter,
        activity: SessionActivity
    ) async throws -> End? {
        for await applied in states {
            let started = ContinuousClock.now
            let errors = await realizer.realize(applied.state, revision: applied.revision)
            let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
            await store.record(applied)
            try await send(.ack(.bounded(revision: applied.revision, errors: errors)), to: outbound, activity: activity)
            logger.debug("acked", metadata: ["revision": "\(applied.revision)", "errors": "\(errors.count)",
                                             "realizeMs": "\(String(format: "%.2f", milliseconds))"])
            // After the ack: a restart before this write only makes the agent ask for this revision
            // again, and realizing it again changes nothing in the kernel.
            do {
                try await store.persist(applied)
            } catch {
                logger.warning("cannot persist the applied state", metadata: ["reason": "\(error)"])
            }
        }
        return nil
    }

    /// Never returns: it throws when the controller falls silent, or when the session ends and cancels it.
    private func keepAlive(_ outbound: FrameWriter, activity: SessionActivity) async throws -> End? {
        let silenceLimit = controllerTimeout
        while true {
            let (sent, received) = await activity.instants
            let now = ContinuousClock.now
            if now - received >= silenceLimit {
                throw AgentError.controllerSilent(seconds: (now - received).seconds)
            }
            if now - sent >= heartbeatInterval {
                try await send(.heartbeat, to: outbound, activity: activity)
                continue
            }
            try await Task.sleep(until: min(sent + heartbeatInterval, received + silenceLimit), clock: .continuous)
        }
    }

    /// Never returns: asks for a new certificate whenever the current one is due for renewal, and
    /// again after a while when no renewal arrived.
    private func renewWhenDue(_ outbound: FrameWriter, activity: SessionActivity) async throws -> End? {
        while true {
            let wait = await renewer.renewalDate.timeIntervalSinceNow
            if wait > 0 {
                // Wake up at least hourly: the clock may have been set in the meantime.
                try await Task.sleep(for: .seconds(min(wait, 3_600)))
                continue
            }
            try await send(.renew, to: outbound, activity: activity)
            try await Task.sleep(for: await renewer.retryInterval)
        }
    }

    private func send(_ message: AgentMessage, to outbound: FrameWriter, activity: SessionActivity) async throws {
        try await outbound.write(try WireCodec.encode(message))
        await activity.noteSent()
    }
}
