import Agent
import Foundation
import PKI
import Southbound
import Testing
import X509
import Crypto
#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(.minutes(1)))
struct EnrollmentTests {
    @Test func enrolledAgentStoresItsCredentialsAndOpensASessionWithTheCertificate() async throws {
        try await withStateDirectory { directory in
            try await FakeController.with { controller in
                let join = try controller.authority.joinString(port: controller.port)
                let agent = HostAgent(configuration: testConfiguration(directory, join: join), realizer: SimulatedRealizer())
                var publicKeyPEM = ""
                try await withRunningAgent(agent) {
                    let enrolling = try #require(try await controller.sessions.next())
                    #expect(enrolling.peer == .enrolling)
                    guard case .enroll(let request)? = try await enrolling.receive() else {
                        Issue.record("the agent did not send enroll")
                        return
                    }
                    #expect(request.token == join.tokenSecret)
                    publicKeyPEM = request.publicKeyPEM
                    try await enrolling.send(try controller.authority.enrolledAnswer(host: "hv1", publicKeyPEM: request.publicKeyPEM))
                    enrolling.close()

                    let session = try #require(try await controller.sessions.next())
                    #expect(session.peer == .host("hv1"))
                    #expect(try await session.receive() == .hello(.init(appliedRevision: 0)))
                }
                let keyAttributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/key.pem")
                #expect(keyAttributes[.posixPermissions] as? Int == 0o600)
                let key = try directory.loadOrCreatePrivateKey()
                #expect(try key.publicKey.pemEncoded() == publicKeyPEM)
                let identity = try #require(try directory.loadIdentity(privateKey: key))
                #expect(try identity.hostName == "hv1")
                #expect(identity.certificateAuthority == controller.authority.authority.certificate)
                #expect(try directory.loadControllerAddresses() == [ControllerAddress(host: "127.0.0.1", port: controller.port)])
            }
        }
    }

    @Test func wrongPinnedFingerprintStopsTheAgentBeforeItSendsTheToken() async throws {
        try await withStateDirectory { directory in
            try await FakeController.with { controller in
                let stranger = try CertificateAuthority.create().fingerprint
                let join = try controller.authority.joinString(port: controller.port, pinning: stranger)
                let agent = HostAgent(configuration: testConfiguration(directory, join: join), realizer: SimulatedRealizer())
                let error = await #expect(throws: AgentError.self) { try await agent.run() }
                guard case .untrustedController(_, _, let fingerprint, _)? = error else {
                    Issue.record("expected untrustedController, got \(String(describing: error))")
                    return
                }
                #expect(fingerprint == stranger)
                #expect(await controller.sessions.count == 0)
                #expect(!FileManager.default.fileExists(atPath: directory.path + "/cert.pem"))
            }
        }
    }

    /// A controller turning away unidentified connections (thousands of agents enrolling at once)
    /// closes them mid-handshake: that is worth another try, not an untrusted controller.
    @Test func aControllerThatHangsUpDuringTheHandshakeIsRetriedNotDistrusted() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(listener, $0, length) == 0, listen(listener, 8) == 0, getsockname(listener, $0, &length) == 0 else {
                    throw POSIXError(.EADDRINUSE)
                }
            }
        }
        let hangUp = Thread {
            // Reads the client's hello, then closes without answering.
            let connection = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 1024)
            _ = read(connection, &buffer, buffer.count)
            close(connection)
        }
        hangUp.start()
        let join = try TestAuthority().joinString(port: Int(UInt16(bigEndian: address.sin_port)))
        let enrollment = Enrollment(join: join, connectTimeout: .seconds(5))
        let error = await #expect(throws: AgentError.self) { try await enrollment.enroll(privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey())) }
        guard case .connectionFailed? = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
    }

    @Test func certificateFromAnotherAuthorityThanThePinnedOneIsRefused() async throws {
        try await withStateDirectory { directory in
            try await FakeController.with { controller in
                let join = try controller.authority.joinString(port: controller.port)
                let agent = HostAgent(configuration: testConfiguration(directory, join: join), realizer: SimulatedRealizer())
                let running = Task { try await agent.run() }
                let enrolling = try #require(try await controller.sessions.next())
                guard case .enroll(let request)? = try await enrolling.receive() else {
                    Issue.record("the agent did not send enroll")
                    running.cancel()
                    return
                }
                let impostor = try CertificateAuthority.create()
                let certificate = try impostor.issueHostCertificate(hostName: "hv1", publicKey: try Certificate.PublicKey.fromPEM(request.publicKeyPEM))
                try await enrolling.send(.enrolled(certificatePEM: try certificate.pemEncoded(), caPEM: try impostor.certificate.pemEncoded()))
                enrolling.close()
                await #expect(throws: AgentError.authorityMismatch(expected: join.caFingerprint, received: "\(try impostor.fingerprint)")) {
                    try await running.value
                }
                #expect(!FileManager.default.fileExists(atPath: directory.path + "/cert.pem"))
            }
        }
    }

    @Test func refusedTokenStopsTheAgentWithTheControllersReason() async throws {
        try await withStateDirectory { directory in
            try await FakeController.with { controller in
                let join = try controller.authority.joinString(port: controller.port)
                let agent = HostAgent(configuration: testConfiguration(directory, join: join), realizer: SimulatedRealizer())
                let running = Task { try await agent.run() }
                let enrolling = try #require(try await controller.sessions.next())
                _ = try await enrolling.receive()
                try await enrolling.send(.refused(code: "invalid-token", message: "the token is unknown or used"))
                enrolling.close()
                await #expect(throws: AgentError.enrollmentRefused(code: "invalid-token", message: "the token is unknown or used")) {
                    try await running.value
                }
                #expect(!FileManager.default.fileExists(atPath: directory.path + "/cert.pem"))
            }
        }
    }

    @Test func agentWithoutCertificateOrJoinStringSaysHowToEnroll() async throws {
        try await withStateDirectory { directory in
            let agent = HostAgent(configuration: testConfiguration(directory), realizer: SimulatedRealizer())
            await #expect(throws: AgentError.notEnrolled(stateDirectory: directory.path)) { try await agent.run() }
        }
    }
}
