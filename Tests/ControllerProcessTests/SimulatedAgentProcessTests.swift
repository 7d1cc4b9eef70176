import Foundation
import TestSupport
import Testing

/// The real binaries end to end: a controller, and a `switchyard-agent --simulate` that enrolls
/// with a join string from the API, realizes what it is sent, survives a kill, and is cut off by
/// a revocation.
@Suite struct SimulatedAgentProcessTests {
    final class AgentProcess: @unchecked Sendable {
        // Unchecked: started and stopped from the test's task only.
        let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-agent-\(UUID().uuidString)").path
        var process: ChildProcess.Launched?

        func start(join: String?) throws {
            process = try ChildProcess.launch([ControllerProcess.executable("switchyard-agent").path, "run", "--simulate", "--state-dir", stateDirectory,
                                               "--heartbeat-seconds", "1"] + (join.map { ["--join", $0] } ?? []))
        }

        func kill() {
            process?.kill()
            process = nil
        }

        func cleanUp() {
            kill()
            try? FileManager.default.removeItem(atPath: stateDirectory)
        }
    }

    /// Creates host `hv1` through the API, starts `agent` with a join string for it, and waits
    /// until the controller has its session; returns the host's id.
    func enrollAndConnect(_ agent: AgentProcess, to controller: ControllerProcess, token: String) async throws -> String {
        let url = controller.baseURL + "/v1"
        let hostID = try await HTTP.call("POST", url + "/hosts", token: token, body: ["name": "hv1", "address": "198.18.0.11"]).json["id"] ?? ""
        let grant = try await HTTP.call("POST", url + "/hosts/\(hostID)/enroll-tokens", token: token, body: [:])
        let join = try #require(grant.json["joinString"])
        #expect(join.hasPrefix("127.0.0.1:\(controller.southboundPort)/"))
        try agent.start(join: join)
        try await eventually("the agent is connected") {
            try await HTTP.call("GET", url + "/hosts/\(hostID)", token: token).statusFlag("connected") == true
        }
        return hostID
    }

    @Test func aSimulatedAgentEnrollsRealizesSurvivesAKillAndIsRevoked() async throws {
        let controller = ControllerProcess()
        let agent = AgentProcess()
        defer {
            agent.cleanUp()
            controller.cleanUp()
        }
        let token = try controller.initialize().trimmingCharacters(in: .newlines)
        try await controller.start(token: token)
        let url = controller.baseURL + "/v1"
        let hostID = try await enrollAndConnect(agent, to: controller, token: token)
        let tenant = try await HTTP.call("POST", url + "/tenants", token: token, body: ["name": "acme"])
        let sw = try await HTTP.call("POST", url + "/switches", token: token,
                                     body: ["tenant": tenant.json["id"] ?? "", "name": "web", "cidr": "10.0.0.0/24"])
        let port = try await HTTP.call("POST", url + "/ports?wait=realized&timeout=10s", token: token,
                                       body: ["switch": sw.json["id"] ?? "", "name": "a", "host": hostID])
        #expect(port.status == 201)
        #expect(port.statusFlag("realized") == true)

        // Killed: nothing realizes; restarted from its state directory (no join string): it catches up.
        agent.kill()
        let missed = try await HTTP.call("POST", url + "/ports?wait=realized&timeout=1s", token: token,
                                         body: ["switch": sw.json["id"] ?? "", "name": "b", "host": hostID])
        #expect(missed.statusFlag("realized") == false)
        try agent.start(join: nil)
        try await eventually("the restarted agent realizes what it missed") {
            try await HTTP.call("GET", url + "/ports/\(missed.json["id"] ?? "")", token: token).statusFlag("realized") == true
        }

        // Revoked: its session is cut and its certificate no longer opens one.
        let revoked = try await HTTP.call("POST", url + "/hosts/\(hostID)/revoke", token: token)
        #expect(revoked.status == 200)
        try await eventually("the revoked agent is disconnected", timeout: .seconds(5)) {
            try await HTTP.call("GET", url + "/hosts/\(hostID)", token: token).statusFlag("connected") == false
        }
        try await Task.sleep(for: .seconds(2))
        #expect(try await HTTP.call("GET", url + "/hosts/\(hostID)", token: token).statusFlag("connected") == false)
    }

    @Test func anAgentRenewsItsCertificateAndReconnectsWithItAfterTheOldOneExpired() async throws {
        let controller = ControllerProcess()
        let agent = AgentProcess()
        defer {
            agent.cleanUp()
            controller.cleanUp()
        }
        let token = try controller.initialize().trimmingCharacters(in: .newlines)
        try await controller.start(token: token, arguments: ["--host-certificate-seconds", "12"])
        let url = controller.baseURL + "/v1"
        let hostID = try await enrollAndConnect(agent, to: controller, token: token)
        let certificatePath = agent.stateDirectory + "/cert.pem"
        let enrolled = ContinuousClock.now
        let first = try String(contentsOfFile: certificatePath, encoding: .utf8)
        try await eventually("the agent renewed its certificate", timeout: .seconds(12)) {
            (try? String(contentsOfFile: certificatePath, encoding: .utf8)).map { $0 != first } ?? false
        }
        // Once the first certificate has expired, a new session can only stand on the renewed one.
        try await Task.sleep(until: enrolled + .seconds(13))
        controller.kill()
        try await controller.start(token: token, arguments: ["--host-certificate-seconds", "12"])
        try await eventually("the agent reconnects with its renewed certificate", timeout: .seconds(15)) {
            try await HTTP.call("GET", url + "/hosts/\(hostID)", token: token).statusFlag("connected") == true
        }
    }

    @Test func anAgentEnrollsAndWorksWhileAThousandSilentClientsHoldTheListener() async throws {
        RawSocket.raiseOpenFilesLimit()
        let controller = ControllerProcess()
        let agent = AgentProcess()
        defer {
            agent.cleanUp()
            controller.cleanUp()
        }
        let token = try controller.initialize().trimmingCharacters(in: .newlines)
        try await controller.start(token: token)
        // 1,000 connections that never speak, from 16 addresses: within the pending caps, so each
        // is held until its 5 s deadline while the agent (from another address) gets in.
        let port = controller.southboundPort
        let silent = try await RawSocket.many(1_000) { try RawSocket(port: port, from: "127.0.0.\(2 + $0 % 16)") }
        let url = controller.baseURL + "/v1"
        let hostID = try await enrollAndConnect(agent, to: controller, token: token)
        try await Task.sleep(for: .seconds(6))
        #expect(silent.filter(\.isClosedByPeer).count == silent.count, "silent connections outlived the identification deadline")
        #expect(try await HTTP.call("GET", url + "/hosts/\(hostID)", token: token).statusFlag("connected") == true,
                "the identified agent stays connected")
    }
}
