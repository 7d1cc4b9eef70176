import Crypto
import Foundation
import PKI
import SwiftASN1
import Testing
import X509

@Suite struct IssuedCertificateTests {
    let authority: CertificateAuthority
    let hostKey = Certificate.PrivateKey(P256.Signing.PrivateKey())

    init() throws {
        authority = try CertificateAuthority.create()
    }

    @Test func hostCertificateChainsToTheAuthority() async throws {
        let certificate = try authority.issueHostCertificate(hostName: "hv1", publicKey: hostKey.publicKey)
        #expect(await validates(certificate, against: authority.certificate))
        #expect(await !validates(certificate, against: try CertificateAuthority.create().certificate))
    }

    @Test func hostCertificateNamesTheHostForClientAuthOnly() throws {
        let certificate = try authority.issueHostCertificate(hostName: "hv1", publicKey: hostKey.publicKey)
        #expect(try HostIdentity.hostName(of: certificate) == "hv1")
        #expect(try certificate.extensions.subjectAlternativeNames.map(Array.init) == [.dnsName("hv1")])
        #expect(try certificate.extensions.extendedKeyUsage.map(Array.init) == [.clientAuth])
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(certificate.publicKey == hostKey.publicKey)
        #expect(certificate.issuer == authority.certificate.subject)
    }

    @Test func hostCertificateLastsOneYearByDefault() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let certificate = try authority.issueHostCertificate(hostName: "hv1", publicKey: hostKey.publicKey, now: now)
        #expect(certificate.notValidAfter == now.addingTimeInterval(365 * 24 * 60 * 60))
        #expect(certificate.notValidBefore < now)
    }

    @Test func serialNumbersDiffer() throws {
        let first = try authority.issueHostCertificate(hostName: "hv1", publicKey: hostKey.publicKey)
        let second = try authority.issueHostCertificate(hostName: "hv1", publicKey: hostKey.publicKey)
        #expect(first.serialNumber != second.serialNumber)
    }

    @Test(arguments: ["", "HV1", "hv_1", "-hv1", "hv1-", "hv1.example", String(repeating: "a", count: 64)])
    func invalidHostNamesAreRefused(name: String) throws {
        #expect(throws: PKIError.invalidHostName(name)) {
            try authority.issueHostCertificate(hostName: name, publicKey: hostKey.publicKey)
        }
    }

    @Test func serverCertificateCarriesDNSAndIPNamesForServerAuth() throws {
        let certificate = try authority.issueServerCertificate(
            names: ["controller.example", "127.0.0.1", "::1"],
            publicKey: hostKey.publicKey
        )
        let names = try #require(try certificate.extensions.subjectAlternativeNames).map { $0 }
        #expect(names == [
            .dnsName("controller.example"),
            .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
        ])
        #expect(try certificate.extensions.extendedKeyUsage.map(Array.init) == [.serverAuth])
    }

    @Test func serverCertificateNeedsValidNames() throws {
        #expect(throws: PKIError.noServerNames) {
            try authority.issueServerCertificate(names: [], publicKey: hostKey.publicKey)
        }
        #expect(throws: PKIError.invalidServerName("bad name")) {
            try authority.issueServerCertificate(names: ["bad name"], publicKey: hostKey.publicKey)
        }
    }

    @Test func hostIdentityRefusesACommonNameThatIsNoHostName() throws {
        #expect(throws: PKIError.certificateNamesNoHost) {
            try HostIdentity.hostName(of: authority.certificate)
        }
    }

    @Test func certificateSurvivesPEM() throws {
        let certificate = try authority.issueHostCertificate(hostName: "hv1", publicKey: hostKey.publicKey)
        #expect(try Certificate.fromPEM(certificate.pemEncoded()) == certificate)
        #expect(try Certificate.PublicKey.fromPEM(hostKey.publicKey.pemEncoded()) == hostKey.publicKey)
        #expect(throws: PKIError.self) { try Certificate.fromPEM("not a certificate") }
    }

    private func validates(_ leaf: Certificate, against root: Certificate) async -> Bool {
        var verifier = Verifier(rootCertificates: CertificateStore([root])) { RFC5280Policy() }
        if case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore()) {
            return true
        }
        return false
    }
}
