import Foundation
import StoreTestSupport
import TestSupport
import Testing

/// Two controllers on a PostgreSQL primary with a synchronous standby, both named in the store
/// URL: the primary dies in the middle of a stream of writes and the standby is promoted. Every
/// request is answered (no hang), with 201 or with a retryable `unavailable`; once the standby
/// is promoted both controllers write again; and every write that was answered 201 is there.
@Suite(.enabled(if: ScratchStore.postgresServer != nil, "SWITCHYARD_TEST_POSTGRES names no server (ops/store-contract sets it)"))
struct DatabaseFailoverTests {
    static let scratch = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ops/postgres-scratch").path

    /// One write's outcome, as a client saw it.
    struct Outcome: Sendable {
        let controller: Int
        let startedAt: ContinuousClock.Instant
        let status: Int
        let code: String?
        let port: String?
    }

    static func server(_ arguments: [String]) throws -> String {
        let outcome = try ChildProcess.runBlocking([scratch] + arguments)
        guard outcome.status == 0 else { throw ProcessFailure(what: "postgres-scratch \(arguments) exited \(outcome.status)") }
        return outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates ports through `controller` until `stop`, each outcome recorded.
    static func write(through controller: Int, url: String, token: String, switchID: String, until stop: ContinuousClock.Instant) async -> [Outcome] {
        var outcomes: [Outcome] = []
        while ContinuousClock.now < stop {
            let started = ContinuousClock.now
            let reply = try? await HTTP.call("POST", url + "/ports", token: token, body: ["switch": switchID, "name": "p-\(UUID().uuidString.prefix(8).lowercased())"])
            let error = reply?.object["error"] as? [String: Any]
            outcomes.append(Outcome(controller: controller, startedAt: started, status: reply?.status ?? 0, code: error?["code"] as? String,
                                    port: reply?.json["id"]))
            if reply?.status != 201 { try? await Task.sleep(for: .milliseconds(50)) }
        }
        return outcomes
    }

    @Test func aStandbyPromotedMidLoadKeepsEveryAcknowledgedWrite() async throws {
        let directories = (0..<2).map { _ in FileManager.default.temporaryDirectory.appendingPathComponent("sy-pg-\(UUID().uuidString)").path }
        let ports = (0..<2).map { 10_000 + Int.random(in: 0..<4_000) + $0 * 4_000 }
        let controllers = [ControllerProcess(), ControllerProcess()]
        defer {
            for controller in controllers { controller.cleanUp() }
            for directory in directories { _ = try? Self.server(["stop", directory]) }
        }
        _ = try Self.server(["start", directories[0], String(ports[0])])
        _ = try Self.server(["standby", directories[1], String(ports[1]), String(ports[0])])
        let url = "postgres://switchyard@127.0.0.1:\(ports[0]),127.0.0.1:\(ports[1])/postgres"
        let token = try controllers[0].initialize(store: url).trimmingCharacters(in: .newlines)
        try await controllers[0].start(token: token, arguments: ["--store", url])
        try FileManager.default.createDirectory(atPath: controllers[1].dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: controllers[0].dataDirectory + "/pki", toPath: controllers[1].dataDirectory + "/pki")
        try await controllers[1].start(token: token, arguments: ["--store", url])
        let apis = controllers.map { $0.baseURL + "/v1" }
        let tenant = try await HTTP.call("POST", apis[0] + "/tenants", token: token, body: ["name": "acme"]).json["id"] ?? ""
        let switchID = try await HTTP.call("POST", apis[1] + "/switches", token: token,
                                           body: ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/16"]).json["id"] ?? ""

        // Four clients write through both controllers for 9 s; the primary dies after 2 s, and the
        // standby is promoted a second and a half later.
        let start = ContinuousClock.now
        let stop = start + .seconds(9)
        async let writers = withTaskGroup(of: [Outcome].self) { group in
            for client in 0..<4 {
                group.addTask { await Self.write(through: client % 2, url: apis[client % 2], token: token, switchID: switchID, until: stop) }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        try await Task.sleep(until: start + .seconds(2))
        _ = try Self.server(["halt", directories[0]])
        try await Task.sleep(for: .milliseconds(1_500))
        _ = try Self.server(["promote", directories[1]])
        let promoted = ContinuousClock.now
        let outcomes = await writers

        let answered = outcomes.filter { $0.status == 201 }
        let refused = outcomes.filter { $0.status != 201 }
        #expect(refused.allSatisfy { $0.status == 503 && $0.code == "unavailable" },
                "\(Set(refused.map { "\($0.status) \($0.code ?? "no answer")" }))")
        #expect(!refused.isEmpty, "the writes while no primary was up were refused")
        for controller in 0..<2 {
            #expect(answered.contains { $0.controller == controller && $0.startedAt > promoted + .seconds(2) },
                    "controller \(controller) writes again on the promoted standby: \(outcomes.filter { $0.controller == controller }.suffix(8).map { "\($0.startedAt - promoted) \($0.status)" })")
        }
        // Every acknowledged write is on the new primary, read through either controller.
        for (index, outcome) in answered.enumerated() {
            let id = try #require(outcome.port)
            #expect(try await HTTP.call("GET", apis[index % 2] + "/ports/\(id)", token: token).status == 200, "port \(id) was acknowledged")
        }
    }
}
