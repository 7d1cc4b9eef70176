import Logging
import NIOCore
import SessionTransport
import X509

/// The agent's session side: it enrolls once, then keeps a session with the controller for as
/// long as it runs, applying snapshots and deltas, realizing each state through a
/// ``StateRealizer`` and acking its revision (`schemas/wire.md`).
///
/// ```swift
/// let agent = HostAgent(configuration: AgentConfiguration(stateDirectory: .init(path: dir), join: join),
///                       realizer: SimulatedRealizer())
/// try await agent.run()   // until the task is cancelled
/// ```
public struct HostAgent: Sendable {
    /// The refusal code after which the agent stops reconnecting: its certificate was revoked.
    public static let revokedRefusalCode = "revoked"

    /// What the agent was started with.
    public let configuration: AgentConfiguration
    private let realizer: any StateRealizer
    private let store: AppliedStateStore
    private let requests: ControllerRequests
    private let logger: Logger

    /// An agent that does nothing until ``run()``; `requests` carries the local runtimes' port
    /// requests over its sessions.
    public init(configuration: AgentConfiguration, realizer: any StateRealizer, requests: ControllerRequests = ControllerRequests(),
                logger: Logger = Logger(label: "switchyard.agent")) {
        self.configuration = configuration
        self.realizer = realizer
        self.requests = requests
        self.store = AppliedStateStore(directory: configuration.persistsAppliedState ? configuration.stateDirectory : nil)
        self.logger = logger
    }

    /// Every state the agent applies from now on, starting with the current one when there is one;
    /// a slow reader sees the newest. The stream ends when ``run()`` returns. Wait on it for
    /// convergence: `for await applied in await agent.updates() where applied.revision >= target`.
    public func updates() async -> AsyncStream<AppliedState> {
        await store.updates()
    }

    /// The state applied last; nil before the first snapshot.
    public var appliedState: AppliedState? {
        get async { await store.current }
    }

    /// Runs the agent until the task is cancelled: creates the key on first run, enrolls with the
    /// join string when there is no certificate yet, then connects to the controller and
    /// reconnects with backoff whenever a session ends. Call it once per agent.
    /// - Throws: what the agent cannot get past by retrying: ``AgentError/notEnrolled(stateDirectory:)``,
    ///   ``AgentError/noControllerAddress(stateDirectory:)``, enrollment refusals and trust failures,
    ///   unusable state directory files, ``AgentError/revoked(message:)``.
    public func run() async throws {
        let failure: (any Error)?
        do {
            try await serve()
            failure = nil
        } catch {
            failure = error is CancellationError ? nil : error
        }
        await store.finish()
        if let failure { throw failure }
    }

    private func serve() async throws {
        let directory = configuration.stateDirectory
        let identity = try await loadOrEnroll(privateKey: try directory.loadOrCreatePrivateKey())
        let renewer = CertificateRenewer(identity: identity, directory: directory)
        let controllers = try controllerRotation()
        await restoreAppliedState()
        var logger = logger
        logger[metadataKey: "host"] = "\((try? identity.hostName) ?? "?")"
        var backoff = configuration.reconnectBackoff
        var generator = SystemRandomNumberGenerator()
        // Sessions tried since the agent last waited: it waits once it tried every controller.
        var tried = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let controller = await controllers.take()
            let end: AgentSession.End?
            do {
                end = try await session(with: await renewer.identity, renewer: renewer, controller: controller, controllers: controllers,
                                        logger: logger).run()
            } catch {
                if Task.isCancelled { return }
                logger.warning("session failed", metadata: ["controller": "\(controller)", "reason": "\(error)"])
                end = nil
            }
            switch end {
            case .refused(let code, let message)? where code == Self.revokedRefusalCode:
                throw AgentError.revoked(message: message)
            case .refused(let code, let message)?:
                logger.warning("controller refused the session", metadata: ["code": "\(code)", "message": "\(message)"])
            case .resynchronize(let held, let deltaFrom)?:
                logger.notice("delta does not fit the held state; reconnecting", metadata: [
                    "appliedRevision": "\(held)", "deltaFrom": "\(deltaFrom)",
                ])
            case .closedByController?:
                logger.info("controller closed the session")
            case nil:
                break
            }
            let lasted = ContinuousClock.now - started
            tried = lasted > .seconds(10) ? 1 : tried + 1
            if tried >= (await controllers.count) {
                tried = 0
                try await Task.sleep(for: backoff.nextDelay(afterSessionLasting: lasted, using: &generator))
            }
        }
    }

    /// A session presenting `identity`, the newest certificate the agent holds.
    private func session(with identity: AgentIdentity, renewer: CertificateRenewer, controller: ControllerAddress,
                         controllers: ControllerRotation, logger: Logger) throws -> AgentSession {
        AgentSession(
            connector: try SessionConnector(
                configuration: TLSConfigurations.sessionClient(
                    certificate: identity.certificate,
                    privateKey: identity.privateKey,
                    certificateAuthority: identity.certificateAuthority
                ),
                handshakeTimeout: TimeAmount(configuration.connectTimeout),
                eventLoopGroup: configuration.eventLoopGroup
            ),
            controller: controller,
            controllers: controllers,
            heartbeatInterval: configuration.heartbeatInterval,
            routingDomain: configuration.routingDomain,
            controllerTimeout: configuration.controllerTimeout,
            realizer: realizer,
            store: store,
            renewer: renewer,
            requests: requests,
            logger: logger
        )
    }

    /// The stored identity, or a new one from enrolling with the join string.
    private func loadOrEnroll(privateKey: Certificate.PrivateKey) async throws -> AgentIdentity {
        let directory = configuration.stateDirectory
        if let identity = try directory.loadIdentity(privateKey: privateKey) { return identity }
        guard let join = configuration.join else { throw AgentError.notEnrolled(stateDirectory: directory.path) }
        let enrollment = Enrollment(join: join, connectTimeout: configuration.connectTimeout, eventLoopGroup: configuration.eventLoopGroup)
        var backoff = configuration.reconnectBackoff
        var generator = SystemRandomNumberGenerator()
        while true {
            do {
                let identity = try await enrollment.enroll(privateKey: privateKey)
                try directory.storeIdentity(identity)
                if configuration.controllers.isEmpty { try directory.storeControllerAddresses(ControllerAddress.all(in: join)) }
                logger.notice("enrolled", metadata: ["host": "\((try? identity.hostName) ?? "?")"])
                return identity
            } catch AgentError.connectionFailed(let host, let port, let reason) {
                logger.warning("cannot reach the controller to enroll", metadata: ["controller": "\(host):\(port)", "reason": "\(reason)"])
                try await Task.sleep(for: backoff.nextDelay(afterSessionLasting: .zero, using: &generator))
            } catch AgentError.closedWithoutAnswer {
                logger.warning("the controller closed the enrollment without an answer", metadata: ["controller": "\(join.controllerHost)"])
                try await Task.sleep(for: backoff.nextDelay(afterSessionLasting: .zero, using: &generator))
            }
        }
    }

    /// The configured controllers (stored for the next start, and kept as given), else the stored
    /// ones or the join string's (which the controllers' own list replaces).
    private func controllerRotation() throws -> ControllerRotation {
        let directory = configuration.stateDirectory
        let stored = try directory.loadControllerAddresses()
        if !configuration.controllers.isEmpty {
            if stored != configuration.controllers { try directory.storeControllerAddresses(configuration.controllers) }
            return ControllerRotation(configuration.controllers, storingIn: nil)
        }
        if !stored.isEmpty { return ControllerRotation(stored, storingIn: directory) }
        let joined = configuration.join.map(ControllerAddress.all(in:)) ?? []
        if !joined.isEmpty { return ControllerRotation(joined, storingIn: directory) }
        throw AgentError.noControllerAddress(stateDirectory: directory.path)
    }

    /// Takes over the state a previous run persisted, so the first hello carries its revision.
    /// An unreadable file is only a lost optimization: the controller then sends a snapshot.
    private func restoreAppliedState() async {
        guard configuration.persistsAppliedState else { return }
        do {
            if let applied = try configuration.stateDirectory.loadAppliedState() { await store.restore(applied) }
        } catch {
            logger.warning("ignoring the stored applied state", metadata: ["reason": "\(error)"])
        }
    }
}
