import NIOCore
import NIOPosix
import NIOSSL
import PKI

/// Opens framed TLS sessions to the controller: with a host certificate for a session, or without
/// one to enroll.
public struct SessionConnector: Sendable {
    private let context: NIOSSLContext
    private let pinnedAuthority: PinnedAuthorityVerifier?
    private let inboundMaximum: Int
    private let outboundMaximum: Int
    private let handshakeTimeout: TimeAmount
    private let eventLoopGroup: any EventLoopGroup

    /// - Parameters:
    ///   - configuration: from `TLSConfigurations.sessionClient` or `TLSConfigurations.enrollmentClient`.
    ///   - pinnedAuthority: the CA fingerprint from a join string, when the agent does not hold the CA
    ///     certificate yet; the server must then present a chain containing that CA.
    ///   - inboundMaximum: the largest frame payload accepted from the controller.
    ///   - outboundMaximum: the largest frame payload sent.
    ///   - handshakeTimeout: how long the TCP connect, and then the TLS handshake, may each take.
    ///   - eventLoopGroup: where the sockets live.
    public init(
        configuration: TLSConfiguration,
        pinnedAuthority: CertificateFingerprint? = nil,
        inboundMaximum: Int = Frames.maximumFromController,
        outboundMaximum: Int = Frames.maximumFromAgent,
        handshakeTimeout: TimeAmount = .seconds(10),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        self.context = try NIOSSLContext(configuration: configuration)
        self.pinnedAuthority = pinnedAuthority.map(PinnedAuthorityVerifier.init)
        self.inboundMaximum = inboundMaximum
        self.outboundMaximum = outboundMaximum
        self.handshakeTimeout = handshakeTimeout
        self.eventLoopGroup = eventLoopGroup
    }

    /// Connects, completes the TLS handshake, runs `body` with the session's frames, and closes
    /// the connection when `body` returns or throws.
    ///
    /// The server's certificate must name `host` (a DNS name or an IP address).
    /// - Throws: the TLS error when the server is not trusted; connection errors.
    public func withSession<Result: Sendable>(
        host: String,
        port: Int,
        _ body: (InboundFrames, FrameWriter) async throws -> Result
    ) async throws -> Result {
        let serverHostname = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        let context = context
        let pinnedAuthority = pinnedAuthority
        let (inboundMaximum, outboundMaximum) = (inboundMaximum, outboundMaximum)
        let handshakeTimeout = handshakeTimeout
        let connection = try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(handshakeTimeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = if let pinnedAuthority {
                        try NIOSSLClientHandler(context: context, serverHostname: serverHostname, customVerificationCallback: pinnedAuthority.verify)
                    } else {
                        try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
                    }
                    return try TLSConnection.configure(
                        channel,
                        tls: tls,
                        inboundLimit: FrameLimit(inboundMaximum),
                        outboundMaximum: outboundMaximum,
                        handshakeTimeout: handshakeTimeout
                    )
                }
            }
        do {
            _ = try await connection.peerCertificate.get()
        } catch {
            await connection.discard()
            throw error
        }
        return try await connection.channel.executeThenClose { inbound, outbound in
            try await body(inbound, outbound)
        }
    }
}
