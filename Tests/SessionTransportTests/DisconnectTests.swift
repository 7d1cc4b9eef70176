import NIOCore
import SessionTransport
import Testing

@Suite struct DisconnectTests {
    let authority: TestAuthority
    let log = ServerLog()

    init() throws {
        authority = try TestAuthority()
    }

    @Test(.timeLimit(.minutes(1)))
    func disconnectClosesTheHostsLiveSessionWithinOneSecond() async throws {
        try await withListener(authority, log: log) { listener in
            let hv2 = try authority.hostConnector("hv2")
            try await authority.hostConnector("hv1").withSession(host: "127.0.0.1", port: listener.port) { inbound, outbound in
                var frames = inbound.makeAsyncIterator()
                try await outbound.write(ByteBuffer(string: "hello"))
                #expect(try await frames.next().map { String(buffer: $0) } == "ack hello")

                let clock = ContinuousClock()
                let start = clock.now
                listener.disconnect(host: "hv1")
                let next = try? await frames.next()
                #expect(next == nil)
                #expect(clock.now - start < .seconds(1))
            }
            #expect(await hv2.exchange("still here", port: listener.port) == .answered("ack still here"))
        }
        #expect(log.peers == [.host("hv1"), .host("hv2")])
    }
}
