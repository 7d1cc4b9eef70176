import Controller
import Crypto
import Foundation
import PKI
import SessionTransport
import Southbound
import Testing
import X509

/// Bootstrap tokens work once; revoked hosts are cut off; peers without a certificate may only enroll.
@Suite(.serialized) struct EnrollmentSecurityTests {
    @Test func aBootstrapTokenWorksOnce() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let host = try await controller.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        let join = try await controller.joinString(host: host)
        let first = try await RawAgent(port: controller.server.port).enroll(join: join)
        guard case .enrolled(let pem, let caPEM) = first else { throw TestFailure("first enrollment refused: \(first)") }
        #expect(try HostIdentity.hostName(of: Certificate.fromPEM(pem)) == "hv1")
        #expect(try Certificate.fromPEM(caPEM) == controller.authority.certificate)
        let second = try await RawAgent(port: controller.server.port).enroll(join: join)
        guard case .refused(let code, _) = second else { throw TestFailure("a used token enrolled again") }
        #expect(code == "unauthorized")
    }

    @Test func aPeerWithoutCertificateCannotOpenASession() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let connector = try SessionConnector(configuration: try TLSConfigurations.enrollmentClient(
            certificateAuthority: controller.authority.certificate))
        let answer = try await connector.withSession(host: "127.0.0.1", port: controller.server.port) { inbound, outbound in
            try await RawAgent.send(.hello(.init(appliedRevision: 0)), outbound)
            var frames = inbound.makeAsyncIterator()
            return try await RawAgent.receive(&frames)
        }
        guard case .refused(let code, _) = answer else { throw TestFailure("a peer without certificate got \(answer)") }
        #expect(code == "enroll_first")
    }

    @Test func revokingAHostCutsItsSessionAndRefusesItsCertificate() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let host = try await controller.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        let agent = RawAgent(port: controller.server.port)
        guard case .enrolled(let pem, _) = try await agent.enroll(join: try await controller.joinString(host: host)) else {
            throw TestFailure("enrollment refused")
        }
        let certificate = try Certificate.fromPEM(pem)
        let started = ContinuousClock.now
        let cutOff = try await agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
            try await channel.send(.hello(.init(appliedRevision: 0)))
            _ = try await channel.receive()
            let (status, _) = try await controller.call(.post, "/v1/hosts/\(host)/revoke")
            #expect(status == 200)
            return await channel.closes()
        }
        #expect(cutOff)
        #expect(ContinuousClock.now - started < .seconds(3), "the session ends within seconds of the revocation")
        let refused = await (try? agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
            try await channel.send(.hello(.init(appliedRevision: 0)))
            return try await channel.receive()
        }) == nil
        #expect(refused, "the revoked certificate opens no session")
        // Enrolling again issues a new certificate; the old one stays refused.
        guard case .enrolled = try await agent.enroll(join: try await controller.joinString(host: host)) else {
            throw TestFailure("re-enrollment refused")
        }
        let stillRefused = await (try? agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
            try await channel.send(.hello(.init(appliedRevision: 0)))
            return try await channel.receive()
        }) == nil
        #expect(stillRefused)
    }

    @Test func certificatesFromElsewhereAreRefused() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        _ = try await controller.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let otherCA = try CertificateAuthority.create(commonName: "Elsewhere")
        let foreign = try otherCA.issueHostCertificate(hostName: "hv1", publicKey: key.publicKey)
        let expired = try controller.authority.issueHostCertificate(hostName: "hv1", publicKey: key.publicKey, validity: 60,
                                                                      now: Date().addingTimeInterval(-3_600))
        for certificate in [foreign, expired] {
            let configuration = try TLSConfigurations.sessionClient(certificate: certificate, privateKey: key,
                                                                    certificateAuthority: controller.authority.certificate)
            let got = await (try? SessionConnector(configuration: configuration).withSession(host: "127.0.0.1", port: controller.server.port) {
                inbound, outbound in
                try await RawAgent.send(.hello(.init(appliedRevision: 0)), outbound)
                var frames = inbound.makeAsyncIterator()
                return try await RawAgent.receive(&frames)
            })
            #expect(got == nil, "a certificate from another CA or an expired one opened a session")
        }
        // Issued by our CA but never recorded by an enrollment: refused too.
        let unrecorded = try controller.authority.issueHostCertificate(hostName: "hv1", publicKey: key.publicKey)
        let configuration = try TLSConfigurations.sessionClient(certificate: unrecorded, privateKey: key,
                                                                certificateAuthority: controller.authority.certificate)
        let got = await (try? SessionConnector(configuration: configuration).withSession(host: "127.0.0.1", port: controller.server.port) {
            inbound, outbound in
            try await RawAgent.send(.hello(.init(appliedRevision: 0)), outbound)
            var frames = inbound.makeAsyncIterator()
            return try await RawAgent.receive(&frames)
        })
        #expect(got == nil)
    }
}
