import Foundation
import SwiftASN1
import X509

extension CertificateAuthority {
    /// How long a host or server certificate is valid when the caller does not say: one year.
    public static let defaultLeafValidity: TimeInterval = 365 * 24 * 60 * 60

    /// A client certificate for an enrolled host: subject CN and SAN DNS name are `hostName`,
    /// extended key usage is clientAuth only, the serial number is random.
    /// - Parameters:
    ///   - hostName: the host's name, as in the northbound `Host` object.
    ///   - publicKey: the key the agent generated and keeps.
    ///   - validity: seconds from `now` until the certificate expires.
    /// - Throws: ``PKIError/invalidHostName(_:)``, ``PKIError/invalidValidity(seconds:)``.
    public func issueHostCertificate(
        hostName: String,
        publicKey: Certificate.PublicKey,
        validity: TimeInterval = defaultLeafValidity,
        now: Date = Date()
    ) throws -> Certificate {
        guard HostIdentity.isValidHostName(hostName) else { throw PKIError.invalidHostName(hostName) }
        return try issueLeaf(
            commonName: hostName,
            alternativeNames: [.dnsName(hostName)],
            usage: .clientAuth,
            publicKey: publicKey,
            validity: validity,
            now: now
        )
    }

    /// The controller's TLS server certificate: each of `names` becomes a SAN entry (DNS name or
    /// IP address), the first is also the subject CN, extended key usage is serverAuth only.
    /// - Throws: ``PKIError/noServerNames``, ``PKIError/invalidServerName(_:)``, ``PKIError/invalidValidity(seconds:)``.
    public func issueServerCertificate(
        names: [String],
        publicKey: Certificate.PublicKey,
        validity: TimeInterval = defaultLeafValidity,
        now: Date = Date()
    ) throws -> Certificate {
        guard let commonName = names.first else { throw PKIError.noServerNames }
        let alternativeNames = try names.map { name -> GeneralName in
            if let address = IPAddressBytes.parse(name) {
                return .ipAddress(ASN1OctetString(contentBytes: address[...]))
            }
            guard DNSName.isValid(name) else { throw PKIError.invalidServerName(name) }
            return .dnsName(name.lowercased())
        }
        return try issueLeaf(
            commonName: commonName,
            alternativeNames: alternativeNames,
            usage: .serverAuth,
            publicKey: publicKey,
            validity: validity,
            now: now
        )
    }

    private func issueLeaf(
        commonName: String,
        alternativeNames: [GeneralName],
        usage: ExtendedKeyUsage.Usage,
        publicKey: Certificate.PublicKey,
        validity: TimeInterval,
        now: Date
    ) throws -> Certificate {
        guard validity > 0 else { throw PKIError.invalidValidity(seconds: validity) }
        let authorityKeyIdentifier = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-Self.backdating(forValidity: validity)),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: certificate.subject,
            subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([usage])
                SubjectAlternativeNames(alternativeNames)
                SubjectKeyIdentifier(hash: publicKey)
                if let authorityKeyIdentifier {
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
                }
            },
            issuerPrivateKey: privateKey
        )
    }
}
