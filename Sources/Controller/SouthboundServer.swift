import Crypto
import Foundation
import Logging
import NIOCore
import Northbound
import PKI
import SessionTransport
import Southbound
import Store
import Synchronization
import X509

/// The controller's side of the agent channel: one TLS listener for sessions and enrollment.
///
/// A peer with a certificate is the host its certificate names, if that certificate is the host's
/// current one; it can read only that host's state. A peer without one may only enroll.
public final class SouthboundServer: Sendable {
    let store: Store
    let hub: SouthboundHub
    let authority: CertificateAuthority
    let certificates: CertificateRegistry
    let listener: SessionListener
    /// The controllers agents are told of, this one first.
    public let presence: ControllerPresence
    let heartbeat: Duration
    /// How long the host certificates this server issues are valid.
    let certificateValidity: TimeInterval
    let logger: Logger

    public var port: Int { listener.port }

    public static func start(store: Store, hub: SouthboundHub, authority: CertificateAuthority, host: String, port: Int,
                             serverNames: [String], heartbeat: Duration = .seconds(5),
                             certificateValidity: TimeInterval = CertificateAuthority.defaultLeafValidity,
                             admission: AdmissionLimits = AdmissionLimits(),
                             logger: Logger = Logger(label: "switchyard.southbound")) async throws -> SouthboundServer {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let certificate = try authority.issueServerCertificate(names: serverNames, publicKey: key.publicKey)
        let configuration = try TLSConfigurations.server(certificate: certificate, privateKey: key,
                                                         certificateAuthority: authority.certificate)
        let enrolled = try await store.enrolledCertificates()
        let certificates = CertificateRegistry(enrolled.certificates, revision: enrolled.revision)
        let box = ServerBox()
        let listener = try await SessionListener.bind(
            host: host, port: port, configuration: configuration, admission: admission,
            isRevoked: { name, serial in certificates.host(name: name, serial: serial) == nil },
            logger: logger
        ) { session, inbound, outbound in
            try await box.server?.serve(session, inbound: inbound, outbound: outbound)
        }
        let presence = ControllerPresence(own: Self.address(host: serverNames.first ?? host, port: listener.port), store: store)
        let server = SouthboundServer(store: store, hub: hub, authority: authority, certificates: certificates, listener: listener,
                                      presence: presence, heartbeat: heartbeat, certificateValidity: certificateValidity, logger: logger)
        box.server = server
        return server
    }

    /// `host:port`, IPv6 bracketed, as agents parse it.
    static func address(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private init(store: Store, hub: SouthboundHub, authority: CertificateAuthority, certificates: CertificateRegistry,
                 listener: SessionListener, presence: ControllerPresence, heartbeat: Duration, certificateValidity: TimeInterval,
                 logger: Logger) {
        self.presence = presence
        self.store = store
        self.hub = hub
        self.authority = authority
        self.certificates = certificates
        self.listener = listener
        self.heartbeat = heartbeat
        self.certificateValidity = certificateValidity
        self.logger = logger
    }

    /// Accepts connections until cancelled.
    public func run() async throws { try await listener.run() }

    public func close() async { await listener.close() }

    /// With a store other controllers share: takes the enrollments, renewals and revocations they
    /// commit into the registry as they come, and cuts off here a host revoked there. Runs until
    /// cancelled (for a store this controller has alone, there is nothing to follow).
    public func followEnrollments() async throws {
        var seen = try await store.revision()
        for await revision in store.commits() where revision > seen {
            while !Task.isCancelled {
                do {
                    if try await store.hostsChanged(since: seen) {
                        let enrolled = try await store.enrolledCertificates()
                        for name in certificates.names.union(enrolled.certificates.keys) {
                            let now = enrolled.certificates[name]
                            if certificates.record(name: name, now, revision: enrolled.revision), now == nil {
                                listener.disconnect(host: name)
                            }
                        }
                    }
                    seen = revision
                    break
                } catch {
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
        }
    }

    /// Cuts the host's sessions off and refuses its certificates from now on; `revision` is the
    /// revision at which the revocation (or the host's deletion) committed.
    public func revoke(hostName: String, revision: Int64) {
        certificates.record(name: hostName, nil, revision: revision)
        listener.disconnect(host: hostName)
    }

    private func serve(_ session: SessionContext, inbound: InboundFrames, outbound: FrameWriter) async throws {
        var frames = inbound.makeAsyncIterator()
        guard let first = try await frames.next() else { return }
        guard let message = try? JSONDecoder().decode(AgentMessage.self, from: Data(first.readableBytesView)) else {
            try await send(.refused(code: "invalid_message", message: "the first frame is not a message of this protocol"), to: outbound)
            return
        }
        switch (session.peer, message) {
        case (.enrolling, .enroll(let request)):
            // A well-formed request ends the identification deadline: a slow store write must not
            // close the connection after the token was spent. One closed to make room before that
            // (thousands enrolling at once) does not spend the token: the agent tries again.
            guard await session.identified() else { return }
            try await send(await enroll(request), to: outbound)
        case (.enrolling, _):
            try await send(.refused(code: "enroll_first", message: "a connection without a certificate may only enroll"), to: outbound)
        case (.host(let name), .hello(let hello)):
            guard let hostID = certificates.hostID(named: name), let certificate = session.certificate else {
                try await send(.refused(code: "revoked", message: "host '\(name)' is not enrolled"), to: outbound)
                return
            }
            guard hello.version == WireVersion.current else {
                try await send(.refused(code: "version", message: "wire version \(WireVersion.current) required"), to: outbound)
                return
            }
            guard await session.identified() else { return }
            let renew: @Sendable () async -> ControllerMessage = { await self.renew(name: name, presenting: certificate) }
            // A renewal per quarter of a certificate's lifetime at most (30 s for long-lived ones).
            let spacing = Duration.seconds(min(30, certificateValidity / 4))
            try await HostSession(hub: hub, host: hostID, heartbeat: heartbeat, renewalSpacing: spacing, renew: renew,
                                  runtimePorts: RuntimePortDesk(store: store), presence: presence)
                .run(appliedRevision: hello.appliedRevision, routingDomain: hello.routingDomain, frames: InboundCursor(frames),
                     outbound: outbound)
        case (.host, _):
            try await send(.refused(code: "hello_first", message: "a session starts with hello"), to: outbound)
        }
    }

    private func enroll(_ request: AgentMessage.Enroll) async -> ControllerMessage {
        do {
            let publicKey = try Certificate.PublicKey.fromPEM(request.publicKeyPEM)
            let (authority, validity) = (self.authority, certificateValidity)
            let committed = try await store.enroll(tokenHash: EnrollmentToken.hash(request.token), now: Date()) { host in
                let certificate = try authority.issueHostCertificate(hostName: host.name, publicKey: publicKey, validity: validity)
                return (HostIdentity.serial(of: certificate), certificate)
            }
            let (host, certificate) = committed.value
            let serial = HostIdentity.serial(of: certificate)
            // A re-enrolled host's sessions on its old certificate end here.
            if certificates.record(name: host.name, EnrolledCertificate(host: host.id, serials: [serial]), revision: committed.revision) {
                listener.disconnect(host: host.name, keeping: [serial])
            }
            logger.info("host enrolled", metadata: ["host": "\(host.name)"])
            return .enrolled(certificatePEM: try certificate.pemEncoded(), caPEM: try authority.certificate.pemEncoded())
        } catch let error as ModelError {
            return .refused(code: error.code.rawValue, message: error.message)
        } catch {
            // The peer is not authenticated: it learns that its request was bad, not why inside.
            logger.debug("enrollment refused", metadata: ["reason": "\(error)"])
            return .refused(code: "invalid_request", message: "the enrollment request is not valid")
        }
    }

    /// A new certificate for the key of `certificate`, presented by host `name` on its session.
    private func renew(name: String, presenting certificate: Certificate) async -> ControllerMessage {
        guard certificate.notValidAfter > Date() else {
            return .refused(code: "unauthorized", message: "the session's certificate has expired; reconnect with the renewed one")
        }
        do {
            let presented = HostIdentity.serial(of: certificate)
            let (authority, validity) = (self.authority, certificateValidity)
            let committed = try await store.renewCertificate(hostName: name, presentedSerial: presented) {
                let renewed = try authority.issueHostCertificate(hostName: name, publicKey: certificate.publicKey, validity: validity)
                return (HostIdentity.serial(of: renewed), renewed)
            }
            let (enrolled, renewed) = committed.value
            certificates.record(name: name, enrolled, revision: committed.revision)
            logger.info("host certificate renewed", metadata: ["host": "\(name)"])
            return .renewed(certificatePEM: try renewed.pemEncoded())
        } catch let error as ModelError {
            return .refused(code: error.code.rawValue, message: error.message)
        } catch {
            logger.error("renewing a host certificate failed", metadata: ["host": "\(name)", "reason": "\(error)"])
            return .refused(code: "internal_error", message: "the certificate could not be renewed")
        }
    }

    private func send(_ message: ControllerMessage, to outbound: FrameWriter) async throws {
        try await outbound.write(ByteBuffer(bytes: try JSONEncoder().encode(message)))
    }
}

/// Lets the listener's handler reach the server, which is created after the listener it needs
/// (and before `run()` accepts the first connection).
private final class ServerBox: Sendable {
    private let value = Mutex<SouthboundServer?>(nil)

    var server: SouthboundServer? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
