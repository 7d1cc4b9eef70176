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
    let heartbeat: Duration
    let logger: Logger

    public var port: Int { listener.port ?? 0 }

    public static func start(store: Store, hub: SouthboundHub, authority: CertificateAuthority, host: String, port: Int,
                             serverNames: [String], heartbeat: Duration = .seconds(5),
                             logger: Logger = Logger(label: "switchyard.southbound")) async throws -> SouthboundServer {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let certificate = try authority.issueServerCertificate(names: serverNames, publicKey: key.publicKey)
        let configuration = try TLSConfigurations.server(certificate: certificate, privateKey: key,
                                                         certificateAuthority: authority.certificate)
        let certificates = CertificateRegistry(try await store.enrolledCertificates())
        let box = ServerBox()
        let listener = try await SessionListener.bind(
            host: host, port: port, configuration: configuration,
            isRevoked: { name, serial in certificates.host(name: name, serial: serial) == nil },
            logger: logger
        ) { peer, inbound, outbound in
            try await box.server?.serve(peer: peer, inbound: inbound, outbound: outbound)
        }
        let server = SouthboundServer(store: store, hub: hub, authority: authority, certificates: certificates,
                                      listener: listener, heartbeat: heartbeat, logger: logger)
        box.server = server
        return server
    }

    private init(store: Store, hub: SouthboundHub, authority: CertificateAuthority, certificates: CertificateRegistry,
                 listener: SessionListener, heartbeat: Duration, logger: Logger) {
        self.store = store
        self.hub = hub
        self.authority = authority
        self.certificates = certificates
        self.listener = listener
        self.heartbeat = heartbeat
        self.logger = logger
    }

    /// Accepts connections until cancelled.
    public func run() async throws { try await listener.run() }

    public func close() async { await listener.close() }

    /// Cuts the host's sessions off and refuses its certificate from now on.
    public func revoke(hostName: String) {
        certificates.revoke(name: hostName)
        listener.disconnect(host: hostName)
    }

    private func serve(peer: PeerIdentity, inbound: InboundFrames, outbound: FrameWriter) async throws {
        var frames = inbound.makeAsyncIterator()
        guard let first = try await frames.next() else { return }
        let message = try JSONDecoder().decode(AgentMessage.self, from: Data(first.readableBytesView))
        switch (peer, message) {
        case (.enrolling, .enroll(let request)):
            try await send(await enroll(request), to: outbound)
        case (.enrolling, _):
            try await send(.refused(code: "enroll_first", message: "a connection without a certificate may only enroll"), to: outbound)
        case (.host(let name), .hello(let hello)):
            guard let hostID = certificates.hostID(named: name) else {
                try await send(.refused(code: "revoked", message: "host '\(name)' is not enrolled"), to: outbound)
                return
            }
            guard hello.version == WireVersion.current else {
                try await send(.refused(code: "version", message: "wire version \(WireVersion.current) required"), to: outbound)
                return
            }
            try await HostSession(hub: hub, host: hostID, heartbeat: heartbeat)
                .run(appliedRevision: hello.appliedRevision, routingDomain: hello.routingDomain, frames: InboundCursor(frames),
                     outbound: outbound)
        case (.host, _):
            try await send(.refused(code: "hello_first", message: "a session starts with hello"), to: outbound)
        }
    }

    private func enroll(_ request: AgentMessage.Enroll) async -> ControllerMessage {
        do {
            let publicKey = try Certificate.PublicKey.fromPEM(request.publicKeyPEM)
            let authority = self.authority
            let certificate: Certificate = try await store.enroll(tokenHash: EnrollmentToken.hash(request.token), now: Date()) { host in
                let certificate = try authority.issueHostCertificate(hostName: host.name, publicKey: publicKey)
                return (HostIdentity.serial(of: certificate), certificate)
            }
            let name = try HostIdentity.hostName(of: certificate)
            if let hostID = try await store.enrolledCertificates()[name]?.host {
                certificates.enrolled(name: name, host: hostID, serial: HostIdentity.serial(of: certificate))
            }
            logger.info("host enrolled", metadata: ["host": "\(name)"])
            return .enrolled(certificatePEM: try certificate.pemEncoded(), caPEM: try authority.certificate.pemEncoded())
        } catch let error as ModelError {
            return .refused(code: error.code.rawValue, message: error.message)
        } catch {
            return .refused(code: "invalid_request", message: "\(error)")
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
