import NIOSSL
import PKI
import X509

/// The TLS settings of both ends of the controller⇄agent channel: TLS 1.3 only, P-256
/// certificates from the controller's CA.
///
/// One listener serves both kinds of peer. The server asks for a client certificate but does
/// not require one (`CertificateVerification.optionalVerification`): a certificate that is
/// presented must chain to the CA, be within its validity and allow clientAuth, or BoringSSL
/// fails the handshake; a peer that presents none is accepted as ``PeerIdentity/enrolling`` and
/// may only enroll.
public enum TLSConfigurations {
    /// The controller's server side.
    /// - Parameters:
    ///   - certificate: the controller's server certificate, from `CertificateAuthority.issueServerCertificate`.
    ///   - privateKey: its key.
    ///   - certificateAuthority: the CA; client certificates must chain to it, and it is sent
    ///     after the server certificate so an enrolling agent can check it against its pin.
    public static func server(
        certificate: Certificate,
        privateKey: Certificate.PrivateKey,
        certificateAuthority: Certificate
    ) throws -> TLSConfiguration {
        let authority = try nioCertificate(certificateAuthority)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try nioCertificate(certificate)), .certificate(authority)],
            privateKey: .privateKey(try nioPrivateKey(privateKey))
        )
        configuration.minimumTLSVersion = .tlsv13
        configuration.trustRoots = .certificates([authority])
        configuration.certificateVerification = .optionalVerification
        return configuration
    }

    /// An enrolled agent: presents its host certificate and trusts only the CA.
    public static func sessionClient(
        certificate: Certificate,
        privateKey: Certificate.PrivateKey,
        certificateAuthority: Certificate
    ) throws -> TLSConfiguration {
        var configuration = try enrollmentClient(certificateAuthority: certificateAuthority)
        configuration.certificateChain = [.certificate(try nioCertificate(certificate))]
        configuration.privateKey = .privateKey(try nioPrivateKey(privateKey))
        return configuration
    }

    /// An agent without a certificate, for enrollment.
    /// - Parameter certificateAuthority: the CA to trust, or nil when the agent knows only the
    ///   CA's fingerprint from its join string; then give that fingerprint to `SessionConnector`.
    public static func enrollmentClient(certificateAuthority: Certificate?) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .certificates(try certificateAuthority.map { [try nioCertificate($0)] } ?? [])
        return configuration
    }

    static func nioCertificate(_ certificate: Certificate) throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: try certificate.derEncoded(), format: .der)
    }

    static func nioPrivateKey(_ key: Certificate.PrivateKey) throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(bytes: Array(try key.pemEncoded().utf8), format: .pem)
    }
}
