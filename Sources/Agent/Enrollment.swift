import NIOCore
import NIOPosix
import NIOSSL
import PKI
import SessionTransport
import Southbound
import X509

/// Enrolls an agent with a controller a join string names (`schemas/enrollment.md`): the first
/// that can be reached, in the string's order.
///
/// The agent connects without a client certificate and accepts the controller only if its chain
/// contains the CA pinned by the join string; only then does it send the token and its public key.
/// The answer must carry that same CA and a host certificate for the agent's own key.
public struct Enrollment: Sendable {
    /// The controller, token and pinned CA.
    public let join: JoinString
    private let connectTimeout: Duration
    private let eventLoopGroup: any EventLoopGroup

    /// - Parameters:
    ///   - join: from the operator.
    ///   - connectTimeout: how long the TCP connect, and then the TLS handshake, may each take.
    ///   - eventLoopGroup: where the socket lives.
    public init(
        join: JoinString,
        connectTimeout: Duration = .seconds(10),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.join = join
        self.connectTimeout = connectTimeout
        self.eventLoopGroup = eventLoopGroup
    }

    /// Asks the controller to certify `privateKey`'s public key with the join string's token.
    /// - Returns: the identity the controller issued; the caller stores it.
    /// - Throws: ``AgentError/untrustedController(host:port:fingerprint:reason:)`` when TLS verification
    ///   against the pin fails (the token is not sent), ``AgentError/connectionFailed(host:port:reason:)``,
    ///   ``AgentError/enrollmentRefused(code:message:)``, ``AgentError/authorityMismatch(expected:received:)``,
    ///   ``AgentError/certificateKeyMismatch``, ``AgentError/certificateNotIssuedByAuthority``,
    ///   ``AgentError/unexpectedMessage(expected:received:)``, ``AgentError/closedWithoutAnswer``.
    public func enroll(privateKey: Certificate.PrivateKey) async throws -> AgentIdentity {
        let request = AgentMessage.enroll(.init(token: join.tokenSecret, publicKeyPEM: try privateKey.publicKey.pemEncoded()))
        switch try await exchangeWithFirstReachable(request) {
        case .enrolled(let certificatePEM, let authorityPEM):
            let authority = try parseCertificate(authorityPEM, what: "CA certificate")
            guard join.caFingerprint.matches(authority) else {
                let received = (try? CertificateFingerprint(of: authority)).map { "\($0)" } ?? "?"
                throw AgentError.authorityMismatch(expected: join.caFingerprint, received: received)
            }
            return try AgentIdentity(
                privateKey: privateKey,
                certificate: try parseCertificate(certificatePEM, what: "host certificate"),
                certificateAuthority: authority
            )
        case .refused(let code, let message):
            throw AgentError.enrollmentRefused(code: code, message: message)
        case let answer:
            throw AgentError.unexpectedMessage(expected: "enrolled or refused", received: answer.summary)
        }
    }

    /// Tries the controllers in order; a refusal or an untrusted controller ends it, an unreachable
    /// one moves on to the next.
    private func exchangeWithFirstReachable(_ request: AgentMessage) async throws -> ControllerMessage {
        var unreachable: (any Error)?
        for controller in join.controllers {
            do {
                return try await exchange(request, with: controller)
            } catch let error as AgentError {
                switch error {
                case .connectionFailed, .closedWithoutAnswer: unreachable = error
                default: throw error
                }
            }
        }
        throw unreachable ?? AgentError.closedWithoutAnswer
    }

    /// Sends `request` over a connection verified against the pin and returns the first answer.
    private func exchange(_ request: AgentMessage, with controller: JoinString.Endpoint) async throws -> ControllerMessage {
        let (host, port) = (controller.host, controller.port)
        let connector = try SessionConnector(
            configuration: TLSConfigurations.enrollmentClient(certificateAuthority: nil),
            pinnedAuthority: join.caFingerprint,
            handshakeTimeout: TimeAmount(connectTimeout),
            eventLoopGroup: eventLoopGroup
        )
        do {
            return try await connector.withSession(host: host, port: port) { inbound, outbound in
                // Past the handshake: a TLS error now is a broken connection, not an untrusted controller.
                do {
                    try await outbound.write(try WireCodec.encode(request))
                    var frames = inbound.makeAsyncIterator()
                    guard let frame = try await frames.next() else { throw AgentError.closedWithoutAnswer }
                    return try WireCodec.decode(frame)
                } catch let error as AgentError {
                    throw error
                } catch {
                    throw AgentError.connectionFailed(host: host, port: port, reason: "\(error)")
                }
            }
        } catch let error as AgentError {
            throw error
        } catch let error as NIOSSLError where Self.isHangUp(error) {
            // The controller hung up mid-handshake: busy (it turns away the oldest unidentified
            // connections when thousands arrive at once) or restarting. Worth another try.
            throw AgentError.connectionFailed(host: host, port: port, reason: "closed during the TLS handshake")
        } catch let error as NIOSSLError {
            throw AgentError.untrustedController(
                host: host, port: port, fingerprint: join.caFingerprint, reason: "\(error)")
        } catch {
            throw AgentError.connectionFailed(host: host, port: port, reason: "\(error)")
        }
    }

    /// Whether the handshake ended because the peer closed the connection, not because its
    /// certificate failed verification.
    static func isHangUp(_ error: NIOSSLError) -> Bool {
        switch error {
        case .uncleanShutdown:
            return true
        case .handshakeFailed(.sslError(let stack)):
            return stack.contains(.eofDuringHandshake)
        default:
            return false
        }
    }

    private func parseCertificate(_ pem: String, what: String) throws -> Certificate {
        do {
            return try Certificate.fromPEM(pem)
        } catch {
            throw AgentError.malformedMessage(reason: "the \(what) returned at enrollment is not PEM: \(error)")
        }
    }
}
