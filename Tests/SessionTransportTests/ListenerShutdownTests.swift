import NIOCore
import SessionTransport
import Testing

@Suite struct ListenerShutdownTests {
    let authority: TestAuthority
    let log = ServerLog()

    init() throws {
        authority = try TestAuthority()
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingRunClosesSessionsAndStopsAccepting() async throws {
        let listener = try await SessionListener.bind(
            host: "127.0.0.1",
            port: 0,
            configuration: authority.serverConfiguration(),
            isRevoked: log.revocationCheck(),
            handler: log.echoHandler
        )
        let running = Task { try await listener.run() }
        let hv1 = try authority.hostConnector("hv1")
        try await hv1.withSession(host: "127.0.0.1", port: listener.port) { inbound, outbound in
            var frames = inbound.makeAsyncIterator()
            try await outbound.write(ByteBuffer(string: "hello"))
            #expect(try await frames.next().map { String(buffer: $0) } == "ack hello")
            running.cancel()
            let next = try? await frames.next()
            #expect(next == nil)
        }
        try await running.value
        #expect(await hv1.exchange("again", port: listener.port) == .refused)
        #expect(log.frames == ["hello"])
    }
}
