import NIOCore
import NIOPosix
import SessionTransport
import Testing

/// Before a peer is identified it may hold only a few connections, for a short time, with small frames.
@Suite struct AdmissionTests {
    let authority: TestAuthority
    let log = ServerLog()

    init() throws {
        authority = try TestAuthority()
    }

    /// A TCP connection that says nothing; `closed` completes when the listener drops it.
    struct SilentConnection {
        let channel: any Channel
        var closed: EventLoopFuture<Void> { channel.closeFuture }

        static func open(port: Int) async throws -> SilentConnection {
            SilentConnection(channel: try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get())
        }

        func isClosed(within timeout: Duration) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if !channel.isActive { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return !channel.isActive
        }
    }

    @Test func aConnectionThatIsNotIdentifiedInTimeIsClosed() async throws {
        try await withListener(authority, log: log, admission: AdmissionLimits(identificationDeadline: .milliseconds(500))) { listener in
            // The listener's clock starts at accept, which is after this one.
            let started = ContinuousClock.now
            let silent = try await SilentConnection.open(port: listener.port)
            #expect(await silent.isClosed(within: .seconds(10)))
            #expect(ContinuousClock.now - started >= .milliseconds(500), "not before its deadline")
            try await Task.sleep(for: .milliseconds(100))
            #expect(listener.connectionCounts.connections == 0)
        }
    }

    @Test func pendingConnectionsAreCappedPerSource() async throws {
        try await withListener(authority, log: log, admission: AdmissionLimits(identificationDeadline: .seconds(60), maximumPendingPerSource: 2)) { listener in
            let first = try await SilentConnection.open(port: listener.port)
            let second = try await SilentConnection.open(port: listener.port)
            let third = try await SilentConnection.open(port: listener.port)
            #expect(await third.isClosed(within: .seconds(2)), "a third pending connection from one address is dropped at once")
            #expect(first.channel.isActive && second.channel.isActive)
            try await first.channel.close()
            // Room again: an identified host gets in and stays once it is identified.
            try await Task.sleep(for: .milliseconds(200))
            let connector = try authority.hostConnector("hv1")
            #expect(await connector.exchange("hello", port: listener.port) == .answered("ack hello"))
            try await second.channel.close()
        }
    }

    @Test func anUnidentifiedPeerMaySendOnlySmallFrames() async throws {
        let connector = try authority.enrollmentConnector()
        try await withListener(authority, log: log, admission: AdmissionLimits(identificationDeadline: .seconds(60))) { listener in
            let small = String(repeating: "x", count: Frames.maximumBeforeIdentification - 16)
            #expect(await connector.exchange(small, port: listener.port) == .answered("ack " + small))
            let large = String(repeating: "x", count: Frames.maximumBeforeIdentification + 1)
            #expect(await connector.exchange(large, port: listener.port) == .refused)
        }
    }

    @Test func manySilentConnectionsLeaveRoomForAHost() async throws {
        let limits = AdmissionLimits(identificationDeadline: .seconds(30), maximumPendingPerSource: 64)
        try await withListener(authority, log: log, admission: limits) { listener in
            var silent: [SilentConnection] = []
            for _ in 0..<300 { silent.append(try await SilentConnection.open(port: listener.port)) }
            let connector = try authority.hostConnector("hv1")
            // The 64 pending slots of this address are taken: a host has to wait for one to free up.
            #expect(listener.connectionCounts.pending <= 64)
            for connection in silent.prefix(64) { try? await connection.channel.close().get() }
            try await Task.sleep(for: .milliseconds(200))
            #expect(await connector.exchange("hello", port: listener.port) == .answered("ack hello"))
            for connection in silent { try? await connection.channel.close().get() }
        }
    }
}

/// A full listener makes room by closing its oldest pending connection.
@Suite struct AdmissionEvictionTests {
    @Test func theOldestPendingConnectionMakesRoomWhenAllSlotsAreTaken() async throws {
        let authority = try TestAuthority()
        let limits = AdmissionLimits(identificationDeadline: .seconds(60), maximumPendingPerSource: 64, maximumPending: 4)
        try await withListener(authority, log: ServerLog(), admission: limits) { listener in
            var silent: [AdmissionTests.SilentConnection] = []
            for _ in 0..<4 {
                silent.append(try await .open(port: listener.port))
                try await Task.sleep(for: .milliseconds(50))
            }
            let connector = try authority.hostConnector("hv1")
            #expect(await connector.exchange("hello", port: listener.port) == .answered("ack hello"))
            #expect(await silent[0].isClosed(within: .seconds(5)), "the oldest silent connection made room")
            #expect(silent.dropFirst().allSatisfy { $0.channel.isActive })
            for connection in silent { try? await connection.channel.close().get() }
        }
    }
}
