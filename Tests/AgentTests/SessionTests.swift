import Agent
import Southbound
import Testing

@Suite(.timeLimit(.minutes(1)))
struct SessionTests {
    @Test func snapshotAndFittingDeltaAreRealizedAndAcked() async throws {
        try await withEnrolledAgent { controller, agent, realizer, directory in
            let updates = await agent.updates()
            let session = try #require(try await controller.sessions.next())
            #expect(try await session.receive() == .hello(.init(appliedRevision: 0)))

            try await session.send(.snapshot(revision: 5, state: Fixtures.first))
            #expect(try await session.receive() == .ack(.init(revision: 5)))
            #expect(await agent.appliedState == AppliedState(revision: 5, state: Fixtures.first))

            try await session.send(.delta(fromRevision: 5, revision: 6, delta: HostStateDelta(from: Fixtures.first, to: Fixtures.second)))
            #expect(try await session.receive() == .ack(.init(revision: 6)))
            let expected = AppliedState(revision: 6, state: Fixtures.second)
            #expect(await agent.appliedState == expected)
            #expect(await realizer.lastRealized == expected)
            #expect(await realizer.realizationCount == 2)
            #expect(try directory.loadAppliedState() == expected)
            for await applied in updates where applied.revision >= 6 {
                #expect(applied == expected)
                break
            }
        }
    }

    @Test func deltaFromAnotherRevisionMakesTheAgentReconnectWithItsRevision() async throws {
        try await withEnrolledAgent { controller, agent, realizer, _ in
            let first = try #require(try await controller.sessions.next())
            _ = try await first.receive()
            try await first.send(.snapshot(revision: 5, state: Fixtures.first))
            #expect(try await first.receive() == .ack(.init(revision: 5)))

            try await first.send(.delta(fromRevision: 4, revision: 7, delta: HostStateDelta(from: Fixtures.first, to: Fixtures.second)))
            #expect(try await first.receive() == nil)

            let second = try #require(try await controller.sessions.next())
            #expect(try await second.receive() == .hello(.init(appliedRevision: 5)))
            #expect(await agent.appliedState == AppliedState(revision: 5, state: Fixtures.first))
            #expect(await realizer.realizationCount == 1)
        }
    }

    @Test func agentReconnectsAfterTheControllerClosesAndSaysHelloWithTheLastRevision() async throws {
        try await withEnrolledAgent { controller, _, _, _ in
            let first = try #require(try await controller.sessions.next())
            _ = try await first.receive()
            try await first.send(.snapshot(revision: 5, state: Fixtures.first))
            #expect(try await first.receive() == .ack(.init(revision: 5)))
            first.close()

            let clock = ContinuousClock()
            let closed = clock.now
            let second = try #require(try await controller.sessions.next())
            // Backoff in tests is 50-200 ms; the rest is a busy machine's slack (a clean-clone run
            // once took 3.06 s with the end-to-end suite beside it). Far below the 30 s an agent
            // waits for a silent controller, so it still shows the close was noticed at once.
            #expect(clock.now - closed < .seconds(10))
            #expect(try await second.receive() == .hello(.init(appliedRevision: 5)))
            try await second.send(.delta(fromRevision: 5, revision: 6, delta: HostStateDelta(from: Fixtures.first, to: Fixtures.second)))
            #expect(try await second.receive() == .ack(.init(revision: 6)))
        }
    }

    @Test func restartedAgentSaysHelloWithThePersistedRevision() async throws {
        try await withStateDirectory { directory in
            try await FakeController.with { controller in
                try controller.authority.enroll(directory, host: "hv1", port: controller.port)
                try await withRunningAgent(HostAgent(configuration: testConfiguration(directory), realizer: SimulatedRealizer())) {
                    let session = try #require(try await controller.sessions.next())
                    _ = try await session.receive()
                    try await session.send(.snapshot(revision: 7, state: Fixtures.first))
                    #expect(try await session.receive() == .ack(.init(revision: 7)))
                }
                let restarted = HostAgent(configuration: testConfiguration(directory), realizer: SimulatedRealizer())
                try await withRunningAgent(restarted) {
                    let session = try #require(try await controller.sessions.next())
                    #expect(try await session.receive() == .hello(.init(appliedRevision: 7)))
                    try await session.send(.delta(fromRevision: 7, revision: 8, delta: HostStateDelta(from: Fixtures.first, to: Fixtures.second)))
                    #expect(try await session.receive() == .ack(.init(revision: 8)))
                    #expect(await restarted.appliedState == AppliedState(revision: 8, state: Fixtures.second))
                }
            }
        }
    }

    @Test func idleAgentSendsHeartbeatsAndLeavesASilentController() async throws {
        try await withEnrolledAgent(heartbeatInterval: .milliseconds(300), controllerTimeout: .milliseconds(900)) { controller, _, _, _ in
            let silent = try #require(try await controller.sessions.next())
            #expect(try await silent.messages.next() == .hello(.init(appliedRevision: 0)))
            #expect(try await silent.messages.next(within: .seconds(2)) == .heartbeat)
            // Three intervals of silence end the session; the agent then comes back. The window per
            // message is wide: the suite's other tests can stall a heartbeat past a second.
            while try await silent.messages.next(within: .seconds(3)) != nil {}
            let next = try #require(try await controller.sessions.next())
            #expect(try await next.receive() == .hello(.init(appliedRevision: 0)))
        }
    }

    @Test func heartbeatsFromTheControllerKeepTheSessionOpen() async throws {
        try await withEnrolledAgent(heartbeatInterval: .seconds(2), controllerTimeout: .seconds(6)) { controller, _, _, _ in
            let session = try #require(try await controller.sessions.next())
            _ = try await session.receive()
            // Longer than the agent's patience in all, each pause a sixth of it: the suite's other
            // tests can keep both cores busy for seconds.
            for _ in 0..<8 {
                try await session.send(.heartbeat)
                try await Task.sleep(for: .seconds(1))
            }
            try await session.send(.snapshot(revision: 3, state: Fixtures.first))
            #expect(try await session.receive() == .ack(.init(revision: 3)))
            #expect(await controller.sessions.count == 0)
        }
    }

    @Test func controllerHeartbeatsAreSeenWhileAStateIsBeingRealized() async throws {
        let realizer = SlowRealizer(taking: .seconds(8))
        try await withEnrolledAgent(heartbeatInterval: .seconds(2), controllerTimeout: .seconds(6), realizer: realizer) { controller, _, _ in
            let session = try #require(try await controller.sessions.next())
            _ = try await session.receive()
            try await session.send(.snapshot(revision: 3, state: Fixtures.first))
            for _ in 0..<8 {
                try await session.send(.heartbeat)
                try await Task.sleep(for: .seconds(1))
            }
            #expect(try await session.receive() == .ack(.init(revision: 3)))
            #expect(await controller.sessions.count == 0)
        }
    }

    @Test func statesArrivingDuringRealizationAreCoalescedIntoTheNewest() async throws {
        let realizer = SlowRealizer(taking: .milliseconds(500))
        try await withEnrolledAgent(realizer: realizer) { controller, agent, _ in
            let session = try #require(try await controller.sessions.next())
            _ = try await session.receive()
            try await session.send(.snapshot(revision: 1, state: Fixtures.first))
            try await session.send(.delta(fromRevision: 1, revision: 2, delta: HostStateDelta(from: Fixtures.first, to: Fixtures.second)))
            try await session.send(.delta(fromRevision: 2, revision: 3, delta: HostStateDelta(from: Fixtures.second, to: Fixtures.first)))
            #expect(try await session.receive() == .ack(.init(revision: 1)))
            #expect(try await session.receive() == .ack(.init(revision: 3)))
            #expect(await realizer.realizedRevisions == [1, 3])
            #expect(await agent.appliedState == AppliedState(revision: 3, state: Fixtures.first))
        }
    }

    @Test func revokedRefusalStopsTheAgentOtherRefusalsAreRetried() async throws {
        try await withStateDirectory { directory in
            try await FakeController.with { controller in
                try controller.authority.enroll(directory, host: "hv1", port: controller.port)
                let agent = HostAgent(configuration: testConfiguration(directory), realizer: SimulatedRealizer())
                let running = Task { try await agent.run() }
                let busy = try #require(try await controller.sessions.next())
                _ = try await busy.receive()
                try await busy.send(.refused(code: "unavailable", message: "try later"))
                busy.close()

                let revoked = try #require(try await controller.sessions.next())
                #expect(try await revoked.receive() == .hello(.init(appliedRevision: 0)))
                try await revoked.send(.refused(code: HostAgent.revokedRefusalCode, message: "certificate revoked"))
                revoked.close()
                await #expect(throws: AgentError.revoked(message: "certificate revoked")) { try await running.value }
                #expect(await controller.sessions.count == 0)
            }
        }
    }

    /// Runs an agent enrolled with a fake controller while `body` drives the controller.
    private func withEnrolledAgent(
        heartbeatInterval: Duration = .seconds(1),
        controllerTimeout: Duration = .seconds(30),
        _ body: (FakeController, HostAgent, SimulatedRealizer, AgentStateDirectory) async throws -> Void
    ) async throws {
        let realizer = SimulatedRealizer()
        try await withEnrolledAgent(heartbeatInterval: heartbeatInterval, controllerTimeout: controllerTimeout,
                                    realizer: realizer) { controller, agent, directory in
            try await body(controller, agent, realizer, directory)
        }
    }

    private func withEnrolledAgent(
        heartbeatInterval: Duration = .seconds(1),
        controllerTimeout: Duration = .seconds(30),
        realizer: any StateRealizer,
        _ body: (FakeController, HostAgent, AgentStateDirectory) async throws -> Void
    ) async throws {
        try await withStateDirectory { directory in
            try await FakeController.with { controller in
                try controller.authority.enroll(directory, host: "hv1", port: controller.port)
                let configuration = testConfiguration(directory, heartbeatInterval: heartbeatInterval, controllerTimeout: controllerTimeout)
                let agent = HostAgent(configuration: configuration, realizer: realizer)
                try await withRunningAgent(agent) {
                    try await body(controller, agent, directory)
                }
            }
        }
    }
}
