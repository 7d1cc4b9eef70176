import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PKI
import X509

/// Accepts agent connections over TLS and runs one handler per session.
///
/// After the handshake the peer is identified: a client certificate (already verified by TLS
/// against the CA, see ``TLSConfigurations``) makes it ``PeerIdentity/host(_:)`` with the
/// certificate's common name; no certificate makes it ``PeerIdentity/enrolling``. A host for which
/// `isRevoked` answers true is disconnected before the handler runs, and ``disconnect(host:keeping:)``
/// cuts off a host that is revoked (or re-enrolled) while connected. Until the handler declares the
/// peer identified, the connection is held to ``AdmissionLimits`` and to frames of
/// ``Frames/maximumBeforeIdentification`` bytes.
///
/// ```swift
/// let listener = try await SessionListener.bind(host: "0.0.0.0", port: 7443, configuration: tls,
///                                               isRevoked: store.isRevoked) { session, inbound, outbound in … }
/// try await listener.run()
/// ```
public final class SessionListener: Sendable {
    /// Serves one session; the connection closes when it returns or throws.
    public typealias Handler = @Sendable (SessionContext, InboundFrames, FrameWriter) async throws -> Void

    /// The address the listener is bound to (with the actual port when bound to port 0).
    public let localAddress: SocketAddress

    private let serverChannel: NIOAsyncChannel<TLSConnection, Never>
    private let gate: ConnectionGate
    private let sessions = SessionRegistry()
    private let isRevoked: @Sendable (_ host: String, _ serial: String) -> Bool
    private let handler: Handler
    private let logger: Logger

    private init(
        serverChannel: NIOAsyncChannel<TLSConnection, Never>,
        gate: ConnectionGate,
        isRevoked: @escaping @Sendable (_ host: String, _ serial: String) -> Bool,
        handler: @escaping Handler,
        logger: Logger
    ) throws {
        guard let localAddress = serverChannel.channel.localAddress else { throw ChannelError.inappropriateOperationForState }
        self.localAddress = localAddress
        self.serverChannel = serverChannel
        self.gate = gate
        self.isRevoked = isRevoked
        self.handler = handler
        self.logger = logger
    }

    /// Binds a listening socket; connections are accepted once ``run()`` is called.
    /// - Parameters:
    ///   - host: the address to listen on.
    ///   - port: the port, or 0 for an ephemeral one (read it from ``port``).
    ///   - configuration: from `TLSConfigurations.server(certificate:privateKey:certificateAuthority:)`.
    ///   - admission: caps on connections that have not been identified yet, and their deadline
    ///     (which also bounds the TLS handshake).
    ///   - identifiedInboundMaximum: the largest frame payload accepted once the peer is identified.
    ///   - outboundMaximum: the largest frame payload sent.
    ///   - isRevoked: consulted with the host name and the certificate serial (hex) of each authenticated
    ///     peer on accept; answering by serial refuses the old certificate of a re-enrolled host.
    ///   - logger: receives a line a minute while connections are turned away, and one per revoked host refused.
    ///   - eventLoopGroup: where the sockets live.
    ///   - handler: runs once per accepted session.
    public static func bind(
        host: String,
        port: Int,
        configuration: TLSConfiguration,
        admission: AdmissionLimits = AdmissionLimits(),
        identifiedInboundMaximum: Int = Frames.maximumFromAgent,
        outboundMaximum: Int = Frames.maximumFromController,
        isRevoked: @escaping @Sendable (_ host: String, _ serial: String) -> Bool,
        logger: Logger = Logger(label: "switchyard.session-listener"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        handler: @escaping Handler
    ) async throws -> SessionListener {
        let context = try NIOSSLContext(configuration: configuration)
        let gate = ConnectionGate(limits: admission)
        let serverChannel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1_024)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let limit = FrameLimit(Frames.maximumBeforeIdentification)
                    return try TLSConnection.configure(
                        channel,
                        admission: AdmissionHandler(gate: gate, limit: limit, identifiedLimit: identifiedInboundMaximum),
                        tls: NIOSSLServerHandler(context: context),
                        inboundLimit: limit,
                        outboundMaximum: outboundMaximum,
                        handshakeTimeout: admission.identificationDeadline
                    )
                }
            }
        return try SessionListener(serverChannel: serverChannel, gate: gate, isRevoked: isRevoked, handler: handler, logger: logger)
    }

    /// The bound port.
    public var port: Int { localAddress.port ?? 0 }

    /// Accepts connections until ``close()`` is called or the task is cancelled, then waits for
    /// the running sessions to end.
    public func run() async throws {
        // Cancelling the accept loop itself would drop connections that were accepted but not yet
        // served, and NIO traps on a wrapped channel that is dropped without executeThenClose.
        // So cancellation closes the listener instead, and the loop drains what was accepted.
        let acceptLoop = Task { try await self.acceptAndServe() }
        let reporter = Task { await self.reportTurnedAway() }
        defer { reporter.cancel() }
        try await withTaskCancellationHandler {
            try await acceptLoop.value
        } onCancel: {
            self.shutDown()
        }
    }

    /// Closes every session of `host` whose certificate serial is not in `keeping` (all of them by
    /// default); their handlers see their inbound frames end. Call it after recording the
    /// revocation or re-enrollment, so a connection racing with it is refused by `isRevoked`.
    public func disconnect(host: String, keeping: Set<String> = []) {
        let count = sessions.closeSessions(of: host, keeping: keeping)
        if count > 0 { logger.notice("disconnected host", metadata: ["host": "\(host)", "sessions": "\(count)"]) }
    }

    /// Connections not yet identified, and all connections, now.
    public var connectionCounts: (pending: Int, connections: Int) { gate.counts }

    /// Stops accepting connections and closes every session.
    public func close() async {
        shutDown()
        try? await serverChannel.channel.closeFuture.get()
    }

    private func shutDown() {
        sessions.closeAll()
        serverChannel.channel.close(promise: nil)
    }

    /// One line a minute while connections are turned away, so an operator sees a flood (or caps
    /// too tight for a reconnecting fleet) without a line per connection.
    private func reportTurnedAway() async {
        while (try? await Task.sleep(for: .seconds(60))) != nil {
            let (refused, evicted) = gate.takeTurnedAway()
            guard refused + evicted > 0 else { continue }
            logger.notice("connections turned away before identification", metadata: [
                "refused": "\(refused)", "evicted": "\(evicted)", "pending": "\(gate.counts.pending)",
            ])
        }
    }

    private func acceptAndServe() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await serverChannel.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { await self.serve(connection) }
                }
            }
        }
    }

    private func serve(_ connection: TLSConnection) async {
        let channel = connection.channel.channel
        let peer: PeerIdentity
        let certificate: Certificate?
        do {
            (peer, certificate) = try Self.identity(presenting: try await connection.peerCertificate.get())
        } catch {
            logger.debug("refused connection", metadata: ["remote": "\(channel.remoteAddress.map { "\($0)" } ?? "?")", "reason": "\(error)"])
            await connection.discard()
            return
        }
        let hostName: String? = if case .host(let name) = peer { name } else { nil }
        let serial = certificate.map(HostIdentity.serial(of:)) ?? ""
        // Register before consulting isRevoked: a revocation recorded after the check then
        // finds this session in the registry when it calls disconnect(host:).
        guard let id = sessions.register(channel, host: hostName, serial: serial) else {
            await connection.discard()
            return
        }
        defer { sessions.remove(id) }
        if let hostName, isRevoked(hostName, serial) {
            logger.notice("refused revoked host", metadata: ["host": "\(hostName)"])
            await connection.discard()
            return
        }
        do {
            try await connection.channel.executeThenClose { inbound, outbound in
                try await handler(SessionContext(peer: peer, certificate: certificate, channel: channel), inbound, outbound)
            }
        } catch {
            logger.debug("session ended", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    private static func identity(presenting certificate: NIOSSLCertificate?) throws -> (PeerIdentity, Certificate?) {
        guard let certificate else { return (.enrolling, nil) }
        let parsed = try Certificate(derEncoded: try certificate.toDERBytes())
        return (.host(try HostIdentity.hostName(of: parsed)), parsed)
    }
}
