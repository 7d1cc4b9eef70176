import Crypto
import Foundation
import NIOSSL
import PKI
import SessionTransport
import X509

/// A CA with a controller certificate for 127.0.0.1, and helpers to make clients.
struct TestAuthority {
    let authority: CertificateAuthority
    let serverKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
    let serverCertificate: Certificate

    init() throws {
        authority = try CertificateAuthority.create()
        serverCertificate = try authority.issueServerCertificate(names: ["localhost", "127.0.0.1"], publicKey: serverKey.publicKey)
    }

    func serverConfiguration() throws -> TLSConfiguration {
        try TLSConfigurations.server(
            certificate: serverCertificate,
            privateKey: serverKey,
            certificateAuthority: authority.certificate
        )
    }

    /// A connector presenting a certificate this CA issued to `host`.
    func hostConnector(_ host: String, validity: TimeInterval = 3600, now: Date = Date()) throws -> SessionConnector {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let certificate = try authority.issueHostCertificate(hostName: host, publicKey: key.publicKey, validity: validity, now: now)
        return try connector(presenting: certificate, key: key)
    }

    /// A connector presenting any certificate, trusting this CA.
    func connector(presenting certificate: Certificate, key: Certificate.PrivateKey) throws -> SessionConnector {
        try SessionConnector(configuration: TLSConfigurations.sessionClient(
            certificate: certificate,
            privateKey: key,
            certificateAuthority: authority.certificate
        ))
    }

    /// A connector without a client certificate, trusting this CA.
    func enrollmentConnector() throws -> SessionConnector {
        try SessionConnector(configuration: TLSConfigurations.enrollmentClient(certificateAuthority: authority.certificate))
    }

    /// A self-signed client certificate that claims to be `host`.
    static func selfSignedHostCertificate(_ host: String) throws -> (Certificate, Certificate.PrivateKey) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName(host) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(3600),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                try ExtendedKeyUsage([.clientAuth])
                SubjectAlternativeNames([.dnsName(host)])
            },
            issuerPrivateKey: key
        )
        return (certificate, key)
    }
}
