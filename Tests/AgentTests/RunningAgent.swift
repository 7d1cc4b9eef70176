import Agent
import PKI

/// Agent settings for tests: quick reconnects and heartbeats, short connect timeouts. The agent
/// waits 30 s for a silent controller unless a test about silence says otherwise: a fake
/// controller speaks only when its test makes it, and a loaded machine stretches every pause.
func testConfiguration(
    _ directory: AgentStateDirectory,
    join: JoinString? = nil,
    heartbeatInterval: Duration = .seconds(1),
    controllerTimeout: Duration = .seconds(30)
) -> AgentConfiguration {
    AgentConfiguration(
        stateDirectory: directory,
        join: join,
        heartbeatInterval: heartbeatInterval,
        reconnectBackoff: ReconnectBackoff(base: .milliseconds(50), cap: .milliseconds(200), resetAfter: .seconds(10)),
        connectTimeout: .seconds(2),
        controllerTimeout: controllerTimeout
    )
}

/// Runs `agent` while `body` runs, then stops it; an error the agent stopped with fails the test.
func withRunningAgent(_ agent: HostAgent, _ body: () async throws -> Void) async throws {
    let running = Task { try await agent.run() }
    do {
        try await body()
    } catch {
        running.cancel()
        _ = try? await running.value
        throw error
    }
    running.cancel()
    try await running.value
}
