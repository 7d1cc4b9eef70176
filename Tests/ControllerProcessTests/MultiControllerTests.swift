import Foundation
import StoreTestSupport
import TestSupport
import Testing

/// Two real controllers on one PostgreSQL database serve one cloud: what is written through one
/// reaches an agent connected to the other, revocations made through one hold at the other,
/// exactly one of them leads, and when one dies its agent moves to the other, which leads.
@Suite(.enabled(if: ScratchStore.postgresServer != nil, "SWITCHYARD_TEST_POSTGRES names no server (ops/store-contract sets it)"))
struct MultiControllerTests {
    func leads(_ controller: ControllerProcess, token: String) async -> Bool {
        (try? await HTTP.call("GET", controller.baseURL + "/v1/health", token: token))?.object["leader"] as? Bool == true
    }

    @Test func twoControllersOnOneDatabaseServeOneCloud() async throws {
        let database = try await ScratchStore.emptyDatabase()
        let (first, second) = (ControllerProcess(), ControllerProcess())
        let agent = SimulatedAgentProcessTests.AgentProcess()
        defer {
            agent.cleanUp()
            first.cleanUp()
            second.cleanUp()
            database.drop()
        }
        let token = try first.initialize(store: database.url).trimmingCharacters(in: .newlines)
        try await first.start(token: token, arguments: ["--store", database.url])
        // One CA for both: the second serves with a copy of the first's.
        try FileManager.default.createDirectory(atPath: second.dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: first.dataDirectory + "/pki", toPath: second.dataDirectory + "/pki")
        try await second.start(token: token, arguments: ["--store", database.url])
        let (viaFirst, viaSecond) = (first.baseURL + "/v1", second.baseURL + "/v1")

        // A controller with a CA of its own would issue certificates the others refuse: it does not start.
        let stranger = ControllerProcess()
        defer { stranger.cleanUp() }
        let refused = try await ChildProcess.run([ControllerProcess.binary.path, "serve", "--data-dir", stranger.dataDirectory, "--store", database.url,
                                                  "--listen", "127.0.0.1:\(stranger.port)", "--southbound", "127.0.0.1:\(stranger.southboundPort)"],
                                                 includeErrors: true)
        #expect(refused.status != 0 && refused.output.contains("is not the one the other controllers of this store serve with"), "\(refused.output)")

        let health = try await HTTP.call("GET", viaSecond + "/health", token: "")
        #expect(health.status == 200 && health.json["store"] == "postgres" && health.object["shared"] as? Bool == true)
        try await eventually("one controller leads") {
            let firstLeads = await leads(first, token: token)
            let secondLeads = await leads(second, token: token)
            return firstLeads || secondLeads
        }
        let firstLeads = await leads(first, token: token)
        let secondLeads = await leads(second, token: token)
        #expect(firstLeads != secondLeads, "exactly one leads")

        // The host is made through the first; its agent enrolls with, and connects to, the second.
        let hostID = try await HTTP.call("POST", viaFirst + "/hosts", token: token, body: ["name": "hv1", "address": "198.18.0.11"]).json["id"] ?? ""
        let grant = try await HTTP.call("POST", viaSecond + "/hosts/\(hostID)/enroll-tokens", token: token, body: [:])
        let join = try #require(grant.json["joinString"])
        #expect(join.hasPrefix("127.0.0.1:\(second.southboundPort)"), "the controller that made it first, then the others it heard")
        try agent.start(join: join)
        try await eventually("the agent is connected to the second") {
            try await HTTP.call("GET", viaSecond + "/hosts/\(hostID)", token: token).statusFlag("connected") == true
        }

        try await eventually("the first knows the agent is connected at the second", timeout: .seconds(3)) {
            try await HTTP.call("GET", viaFirst + "/hosts/\(hostID)", token: token).statusFlag("connected") == true
        }

        // Written through the first, realized by the agent on the second: the first's
        // `?wait=realized` answers once the second reported the agent's ack.
        let tenant = try await HTTP.call("POST", viaFirst + "/tenants", token: token, body: ["name": "acme"]).json["id"] ?? ""
        let sw = try await HTTP.call("POST", viaFirst + "/switches", token: token, body: ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])
        let port = try await HTTP.call("POST", viaFirst + "/ports?wait=realized&timeout=10s", token: token,
                                       body: ["switch": sw.json["id"] ?? "", "name": "a", "host": hostID])
        #expect(port.status == 201)
        #expect(port.statusFlag("realized") == true, "realized at a host whose agent is connected to the other controller")
        try await eventually("the second reports the port realized", timeout: .seconds(5)) {
            try await HTTP.call("GET", viaSecond + "/ports/\(port.json["id"] ?? "")", token: token).statusFlag("realized") == true
        }

        // A token revoked through the first is refused by the second, which had just accepted it.
        let tenantToken = try await HTTP.call("POST", viaFirst + "/tenants/\(tenant)/tokens", token: token, body: [:])
        let secret = try #require(tenantToken.json["token"])
        #expect(try await HTTP.call("GET", viaSecond + "/revision", token: secret).status == 200)
        let deleted = try await HTTP.call("DELETE", viaFirst + "/tenants/\(tenant)/tokens/\(tenantToken.json["id"] ?? "")", token: token)
        #expect(deleted.status == 200)
        try await eventually("the second refuses the revoked token", timeout: .seconds(3)) {
            try await HTTP.call("GET", viaSecond + "/revision", token: secret).status == 401
        }

        // The agent learns both controllers (it stores the list the controllers send), and when
        // the second dies (SIGKILL) it is on the first within 5 s, which leads from then on.
        let controllerFile = agent.stateDirectory + "/controller"
        try await eventually("the agent knows both controllers") {
            ((try? String(contentsOfFile: controllerFile, encoding: .utf8)) ?? "").contains("127.0.0.1:\(first.southboundPort)")
        }
        second.kill()
        let killed = ContinuousClock.now
        // Not the host's status: the second's report says connected until it has been silent 10 s.
        try await eventually("the agent is connected to the first", timeout: .seconds(5)) {
            try await HTTP.call("GET", first.baseURL + "/metrics", token: token).text.contains("switchyard_hosts_connected 1")
        }
        #expect(ContinuousClock.now - killed < .seconds(5))
        try await eventually("the first reports the port realized", timeout: .seconds(5)) {
            try await HTTP.call("GET", viaFirst + "/ports/\(port.json["id"] ?? "")", token: token).statusFlag("realized") == true
        }
        // The agent held the state the second had sent it: the first resumed its session without
        // sending it a snapshot.
        let metrics = try await HTTP.call("GET", first.baseURL + "/metrics", token: token).text
        #expect(metrics.contains(#"switchyard_session_starts_total{kind="resumed"} 1"#), "\(metrics)")
        #expect(!metrics.contains(#"switchyard_session_starts_total{kind="snapshot"}"#))
        try await eventually("the survivor leads", timeout: .seconds(5)) { await leads(first, token: token) }

        // The second comes back; a host revoked through it is cut off at the first.
        try await second.start(token: token, arguments: ["--store", database.url])
        #expect(try await HTTP.call("POST", viaSecond + "/hosts/\(hostID)/revoke", token: token).status == 200)
        try await eventually("the first cut the revoked host off", timeout: .seconds(5)) {
            try await HTTP.call("GET", viaFirst + "/hosts/\(hostID)", token: token).statusFlag("connected") == false
        }
    }
}
