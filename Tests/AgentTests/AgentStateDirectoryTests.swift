@testable import Agent
import Crypto
import Foundation
import PKI
import Southbound
import Testing
import X509

@Suite struct AgentStateDirectoryTests {
    @Test func privateKeyIsCreatedOnceWithMode0600() async throws {
        try await withStateDirectory { directory in
            let created = try directory.loadOrCreatePrivateKey()
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/key.pem")
            #expect(attributes[.posixPermissions] as? Int == 0o600)
            let directoryAttributes = try FileManager.default.attributesOfItem(atPath: directory.path)
            #expect(directoryAttributes[.posixPermissions] as? Int == 0o700)
            #expect(try directory.loadOrCreatePrivateKey().publicKey == created.publicKey)
        }
    }

    @Test func identityRoundTripsAndIsAbsentBeforeEnrollment() async throws {
        let authority = try TestAuthority()
        try await withStateDirectory { directory in
            let key = try directory.loadOrCreatePrivateKey()
            #expect(try directory.loadIdentity(privateKey: key) == nil)
            try authority.enroll(directory, host: "hv1", port: 7443)
            let identity = try #require(try directory.loadIdentity(privateKey: key))
            #expect(try identity.hostName == "hv1")
            #expect(identity.certificateAuthority == authority.authority.certificate)
            #expect(try directory.loadControllerAddresses() == [ControllerAddress(host: "127.0.0.1", port: 7443)])
        }
    }

    @Test func certificateWithoutCAIsAnIncompleteDirectory() async throws {
        let authority = try TestAuthority()
        try await withStateDirectory { directory in
            try authority.enroll(directory, host: "hv1", port: 7443)
            try FileManager.default.removeItem(atPath: directory.path + "/ca.pem")
            #expect(throws: AgentError.incompleteStateDirectory(path: directory.path, missing: "ca.pem")) {
                try directory.loadIdentity(privateKey: try directory.loadOrCreatePrivateKey())
            }
        }
    }

    @Test func identityRefusesACertificateForAnotherKeyOrFromAnotherCA() throws {
        let authority = try TestAuthority()
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let other = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let certificate = try authority.authority.issueHostCertificate(hostName: "hv1", publicKey: other.publicKey)
        #expect(throws: AgentError.certificateKeyMismatch) {
            try AgentIdentity(privateKey: key, certificate: certificate, certificateAuthority: authority.authority.certificate)
        }
        #expect(throws: AgentError.certificateNotIssuedByAuthority) {
            try AgentIdentity(privateKey: other, certificate: certificate, certificateAuthority: try CertificateAuthority.create().certificate)
        }
    }

    @Test func appliedStateRoundTrips() async throws {
        try await withStateDirectory { directory in
            #expect(try directory.loadAppliedState() == nil)
            try directory.storeAppliedState(AppliedState(revision: 42, state: Fixtures.second))
            #expect(try directory.loadAppliedState() == AppliedState(revision: 42, state: Fixtures.second))
        }
    }

    /// After an upgrade the state a version-1 agent wrote (policies named per port, no version)
    /// is not taken for this version's: the agent starts from nothing applied and gets a snapshot.
    @Test func anAppliedStateOfAnotherWireVersionIsNotReadBack() async throws {
        try await withStateDirectory { directory in
            let versionOne = #"{"revision":7,"state":{"host":{"id":"hs-1","name":"hv1","underlay":"198.18.0.11","role":"compute"},"#
                + #""switches":{},"ports":{},"routers":{},"edgeRouters":{},"policy":{"sets":{},"ruleLists":{},"members":{}}}}"#
            try directory.write(.appliedState, Array(versionOne.utf8))
            #expect(try directory.loadAppliedState() == nil)
            try directory.write(.appliedState, Array("{not json".utf8))
            #expect(throws: (any Error).self) { try directory.loadAppliedState() }
        }
    }
}
