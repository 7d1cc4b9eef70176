import Crypto
import Foundation
import PKI
import Testing
import X509

@Suite struct CertificateAuthorityTests {
    @Test func persistedAuthorityReloadsAsTheSameAuthority() throws {
        try withTemporaryDirectory { directory in
            let created = try CertificateAuthority.loadOrCreate(directory: directory + "/ca")
            let reloaded = try CertificateAuthority.loadOrCreate(directory: directory + "/ca")
            #expect(reloaded.certificate == created.certificate)
            #expect(try reloaded.fingerprint == created.fingerprint)

            let hostKey = P256.Signing.PrivateKey()
            let issued = try reloaded.issueHostCertificate(hostName: "hv1", publicKey: .init(hostKey.publicKey))
            #expect(created.certificate.publicKey.isValidSignature(issued.signature, for: issued))
        }
    }

    @Test func privateKeyFileIsOwnerOnly() throws {
        try withTemporaryDirectory { directory in
            try CertificateAuthority.create().persist(directory: directory)
            let keyPath = directory + "/" + CertificateAuthority.privateKeyFileName
            let keyMode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
            #expect(keyMode == 0o600)
            let certificatePath = directory + "/" + CertificateAuthority.certificateFileName
            #expect(FileManager.default.fileExists(atPath: certificatePath))
        }
    }

    @Test func directoryWithOnlyTheCertificateIsRefused() throws {
        try withTemporaryDirectory { directory in
            try CertificateAuthority.create().persist(directory: directory)
            try FileManager.default.removeItem(atPath: directory + "/" + CertificateAuthority.privateKeyFileName)
            #expect(throws: PKIError.incompleteAuthorityDirectory(directory)) {
                try CertificateAuthority.loadOrCreate(directory: directory)
            }
        }
    }

    @Test func authorityCertificateIsASelfSignedCA() throws {
        let authority = try CertificateAuthority.create()
        let certificate = authority.certificate
        #expect(certificate.issuer == certificate.subject)
        #expect(try certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try certificate.extensions.keyUsage?.keyCertSign == true)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
    }

    @Test func keyOfAnotherAuthorityIsRefused() throws {
        let first = try CertificateAuthority.create()
        let other = Certificate.PrivateKey(P256.Signing.PrivateKey())
        #expect(throws: PKIError.self) {
            try CertificateAuthority(certificate: first.certificate, privateKey: other)
        }
    }
}
