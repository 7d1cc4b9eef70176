import Crypto
import Foundation
import NIOCore
import PKI
import SessionTransport
import Testing
import X509

@Suite struct MutualTLSTests {
    let authority: TestAuthority
    let log = ServerLog()

    init() throws {
        authority = try TestAuthority()
    }

    @Test func hostWithValidCertificateIsIdentifiedAndExchangesFrames() async throws {
        try await withListener(authority, log: log) { listener in
            let large = String(repeating: "x", count: 200_000)
            let replies = try await authority.hostConnector("hv1").withSession(host: "127.0.0.1", port: listener.port) { inbound, outbound in
                var frames = inbound.makeAsyncIterator()
                var replies: [String] = []
                for text in ["hello", "", large] {
                    try await outbound.write(ByteBuffer(string: text))
                    replies.append(try await frames.next().map { String(buffer: $0) } ?? "<closed>")
                }
                return replies
            }
            #expect(replies == ["ack hello", "ack ", "ack " + large])
        }
        #expect(log.peers == [.host("hv1")])
        #expect(log.frames.count == 3)
        #expect(log.revocationChecks == ["hv1"])
    }

    @Test func clientWithoutCertificateIsEnrollingNeverAHost() async throws {
        let connector = try authority.enrollmentConnector()
        try await withListener(authority, log: log) { listener in
            #expect(await connector.exchange("enroll me", port: listener.port) == .answered("ack enroll me"))
        }
        #expect(log.peers == [.enrolling])
        #expect(log.revocationChecks.isEmpty)
    }

    @Test func selfSignedClientCertificateIsRefused() async throws {
        let (certificate, key) = try TestAuthority.selfSignedHostCertificate("hv1")
        try await expectRefused(try authority.connector(presenting: certificate, key: key))
    }

    @Test func clientCertificateFromAnotherAuthorityIsRefused() async throws {
        let other = try CertificateAuthority.create()
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let certificate = try other.issueHostCertificate(hostName: "hv1", publicKey: key.publicKey)
        try await expectRefused(try authority.connector(presenting: certificate, key: key))
    }

    @Test func expiredClientCertificateIsRefused() async throws {
        let dayAgo = Date().addingTimeInterval(-24 * 60 * 60)
        try await expectRefused(try authority.hostConnector("hv1", validity: 3600, now: dayAgo))
    }

    @Test func serverCertificateCannotServeAsClientCertificate() async throws {
        try await expectRefused(try authority.connector(presenting: authority.serverCertificate, key: authority.serverKey))
    }

    @Test func revokedHostIsClosedBeforeAnyFrameIsRead() async throws {
        let hv1 = try authority.hostConnector("hv1")
        let hv2 = try authority.hostConnector("hv2")
        try await withListener(authority, log: log, revoked: ["hv1"]) { listener in
            #expect(await hv1.exchange("hello", port: listener.port) == .refused)
            #expect(await hv2.exchange("hello", port: listener.port) == .answered("ack hello"))
        }
        #expect(log.revocationChecks == ["hv1", "hv2"])
        #expect(log.peers == [.host("hv2")])
        #expect(log.frames == ["hello"])
    }

    /// The refused client sees its attempt fail, and the server never runs a session for it;
    /// a valid host right after still gets through, so the listener itself is fine.
    private func expectRefused(_ connector: SessionConnector) async throws {
        let hv2 = try authority.hostConnector("hv2")
        try await withListener(authority, log: log) { listener in
            #expect(await connector.exchange("hello", port: listener.port) == .refused)
            #expect(await hv2.exchange("after", port: listener.port) == .answered("ack after"))
        }
        #expect(log.peers == [.host("hv2")])
        #expect(log.frames == ["after"])
    }
}
