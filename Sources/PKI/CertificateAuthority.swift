import Crypto
import Foundation
import X509

/// The controller's own certificate authority: a P-256 key and a self-signed CA certificate.
///
/// It signs host certificates at enrollment (``issueHostCertificate(hostName:publicKey:validity:now:)``)
/// and the controller's TLS server certificate (``issueServerCertificate(names:publicKey:validity:now:)``).
/// It lives in a directory as `ca.pem` and `ca-key.pem` (mode 0600); see ``loadOrCreate(directory:)``.
public struct CertificateAuthority: Sendable {
    /// The self-signed CA certificate that agents and the controller trust.
    public let certificate: Certificate
    let privateKey: Certificate.PrivateKey

    /// How long a new CA is valid: ten years.
    public static let defaultValidity: TimeInterval = 10 * 365 * 24 * 60 * 60

    /// Certificates start a few minutes in the past, so that a host whose clock is slightly
    /// behind the controller's does not refuse a certificate issued a moment ago.
    static let clockSkewAllowance: TimeInterval = 5 * 60

    /// The backdating of a certificate valid for `validity` seconds: the usual allowance, but never
    /// more than a tenth of the validity, so that a short-lived certificate's renewal point (two
    /// thirds into its lifetime) stays in its future.
    static func backdating(forValidity validity: TimeInterval) -> TimeInterval {
        min(clockSkewAllowance, validity / 10)
    }

    /// Pairs a CA certificate with its key.
    /// - Throws: ``PKIError/invalidAuthority(reason:)`` when the certificate is not a CA or the key does not match it.
    public init(certificate: Certificate, privateKey: Certificate.PrivateKey) throws {
        guard privateKey.publicKey == certificate.publicKey else {
            throw PKIError.invalidAuthority(reason: "the private key does not belong to the CA certificate")
        }
        guard case .isCertificateAuthority = try certificate.extensions.basicConstraints else {
            throw PKIError.invalidAuthority(reason: "the certificate is not marked CA:true")
        }
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// A new CA with a fresh P-256 key.
    /// - Parameters:
    ///   - commonName: the CA certificate's subject common name.
    ///   - validity: seconds from `now` until the CA expires.
    public static func create(
        commonName: String = "Switchyard CA",
        validity: TimeInterval = defaultValidity,
        now: Date = Date()
    ) throws -> CertificateAuthority {
        guard validity > 0 else { throw PKIError.invalidValidity(seconds: validity) }
        let privateKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: privateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-clockSkewAllowance),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: privateKey.publicKey)
            },
            issuerPrivateKey: privateKey
        )
        return try CertificateAuthority(certificate: certificate, privateKey: privateKey)
    }

    /// The fingerprint agents pin in their join string.
    public var fingerprint: CertificateFingerprint {
        get throws { try CertificateFingerprint(of: certificate) }
    }
}
