import NIOCore
import PKI
import SessionTransport
import Testing

@Suite struct PinnedAuthorityTests {
    let authority: TestAuthority
    let log = ServerLog()

    init() throws {
        authority = try TestAuthority()
    }

    @Test func enrollingAgentAcceptsControllerVouchedForByThePinnedAuthority() async throws {
        let connector = try SessionConnector(
            configuration: TLSConfigurations.enrollmentClient(certificateAuthority: nil),
            pinnedAuthority: try authority.authority.fingerprint
        )
        try await withListener(authority, log: log) { listener in
            #expect(await connector.exchange("enroll", port: listener.port) == .answered("ack enroll"))
        }
        #expect(log.peers == [.enrolling])
    }

    @Test func enrollingAgentRefusesControllerOfAnotherAuthority() async throws {
        let connector = try SessionConnector(
            configuration: TLSConfigurations.enrollmentClient(certificateAuthority: nil),
            pinnedAuthority: try CertificateAuthority.create().fingerprint
        )
        try await withListener(authority, log: log) { listener in
            #expect(await connector.exchange("enroll", port: listener.port) == .refused)
        }
        #expect(log.peers.isEmpty)
    }

    @Test func agentTrustingAnotherAuthorityRefusesController() async throws {
        let connector = try SessionConnector(
            configuration: TLSConfigurations.enrollmentClient(certificateAuthority: CertificateAuthority.create().certificate)
        )
        try await withListener(authority, log: log) { listener in
            await #expect(throws: (any Error).self) {
                try await connector.withSession(host: "127.0.0.1", port: listener.port) { _, _ in }
            }
        }
        #expect(log.peers.isEmpty)
    }
}
