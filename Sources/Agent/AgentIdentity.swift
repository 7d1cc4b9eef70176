import PKI
import X509

/// An enrolled agent's credentials: its private key, the host certificate the controller's CA
/// issued for that key, and the CA certificate it trusts the controller by.
public struct AgentIdentity: Sendable {
    /// The agent's own key; it never leaves the host.
    public let privateKey: Certificate.PrivateKey
    /// The host certificate; its subject common name is the host's name.
    public let certificate: Certificate
    /// The controller's CA.
    public let certificateAuthority: Certificate

    /// Checks that the parts belong together.
    /// - Throws: ``AgentError/certificateKeyMismatch`` when `certificate` does not certify `privateKey`,
    ///   ``AgentError/certificateNotIssuedByAuthority`` when `certificateAuthority` did not sign it.
    public init(privateKey: Certificate.PrivateKey, certificate: Certificate, certificateAuthority: Certificate) throws {
        guard certificate.publicKey == privateKey.publicKey else { throw AgentError.certificateKeyMismatch }
        guard certificate.issuer == certificateAuthority.subject,
              certificateAuthority.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw AgentError.certificateNotIssuedByAuthority
        }
        self.privateKey = privateKey
        self.certificate = certificate
        self.certificateAuthority = certificateAuthority
    }

    /// The host this identity speaks for, from the certificate's subject common name.
    /// - Throws: `PKIError.certificateNamesNoHost`.
    public var hostName: String {
        get throws { try HostIdentity.hostName(of: certificate) }
    }
}
