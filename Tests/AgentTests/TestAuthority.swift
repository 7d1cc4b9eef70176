import Agent
import Crypto
import NIOSSL
import PKI
import SessionTransport
import Southbound
import X509

/// A controller CA with a server certificate for 127.0.0.1, and helpers to give agents credentials.
struct TestAuthority {
    let authority: CertificateAuthority
    let serverKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
    let serverCertificate: Certificate

    init() throws {
        authority = try CertificateAuthority.create()
        serverCertificate = try authority.issueServerCertificate(names: ["localhost", "127.0.0.1"], publicKey: serverKey.publicKey)
    }

    func serverConfiguration() throws -> TLSConfiguration {
        try TLSConfigurations.server(certificate: serverCertificate, privateKey: serverKey, certificateAuthority: authority.certificate)
    }

    /// The answer a controller gives to an enrollment of `host` with the key in `publicKeyPEM`.
    func enrolledAnswer(host: String, publicKeyPEM: String) throws -> ControllerMessage {
        let certificate = try authority.issueHostCertificate(hostName: host, publicKey: try Certificate.PublicKey.fromPEM(publicKeyPEM))
        return .enrolled(certificatePEM: try certificate.pemEncoded(), caPEM: try authority.certificate.pemEncoded())
    }

    /// Fills `directory` as a successful enrollment of `host` would, pointing at 127.0.0.1:`port`.
    func enroll(_ directory: AgentStateDirectory, host: String, port: Int) throws {
        let key = try directory.loadOrCreatePrivateKey()
        let certificate = try authority.issueHostCertificate(hostName: host, publicKey: key.publicKey)
        try directory.storeIdentity(AgentIdentity(privateKey: key, certificate: certificate, certificateAuthority: authority.certificate))
        try directory.storeControllerAddresses([ControllerAddress(host: "127.0.0.1", port: port)])
    }

    /// A join string for 127.0.0.1:`port`, pinning `fingerprint` (this CA's unless given).
    func joinString(port: Int, pinning fingerprint: CertificateFingerprint? = nil) throws -> JoinString {
        try JoinString(
            controllerHost: "127.0.0.1",
            controllerPort: port,
            tokenSecret: EnrollmentToken.make(host: "hv1").secret,
            caFingerprint: fingerprint ?? authority.fingerprint
        )
    }
}
