import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `GET /v1/watch` through `syctl get ports --watch`: every acknowledged change, in revision order,
/// across a controller killed and restarted under the writers and the watcher.
@Suite struct WatchTests {
    @Test func aWatcherSeesEveryChangeOfSixteenWritersInRevisionOrderAcrossARestart() async throws {
        let controller = ControllerProcess()
        defer { controller.cleanUp() }
        let token = try controller.initialize().trimmingCharacters(in: .newlines)
        try await controller.start(token: token)
        let url = controller.baseURL + "/v1"
        let tenant = try await HTTP.call("POST", url + "/tenants", token: token, body: ["name": "acme", "quotas": ["ports": 20_000]])
        let sw = try await HTTP.call("POST", url + "/switches", token: token,
                                     body: ["tenant": tenant.json["id"] ?? "", "name": "s", "cidr": "10.0.0.0/16"])
        let start = try #require(sw.object["revision"] as? Int)

        let log = controller.dataDirectory + ".watch.log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let watcher = try ChildProcess.launch([ControllerProcess.executable("syctl").path, "get", "ports", "--watch", "--since", String(start),
                                               "-o", "json", "--url", controller.baseURL, "--token", token], log: log)
        defer { watcher.kill() }

        // Sixteen writers create ports until 10,000 are acknowledged; the controller is killed and
        // restarted under them half-way (a failed create is retried under a new name).
        let acknowledged = Acknowledged()
        let total = 10_000
        let writers = (0..<16).map { writer in
            Task {
                var index = 0
                while await acknowledged.count < total {
                    index += 1
                    guard let reply = try? await HTTP.call("POST", url + "/ports", token: token,
                                                           body: ["switch": sw.json["id"] ?? "", "name": "w\(writer)-\(index)"]),
                          reply.status == 201, let id = reply.json["id"], let revision = reply.object["revision"] as? Int else {
                        try? await Task.sleep(for: .milliseconds(50))
                        continue
                    }
                    await acknowledged.add(id: id, ip: String(revision))
                }
            }
        }
        while await acknowledged.count < total / 2 { try await Task.sleep(for: .milliseconds(20)) }
        controller.kill()
        try await controller.start(token: token)
        for writer in writers { await writer.value }
        let written = await acknowledged.ports

        // The watcher sees each acknowledged create at its revision, and every event once, in order.
        var events: [(revision: Int, id: String, type: String)] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            events = Self.events(in: log)
            if Set(events.map(\.id)).isSuperset(of: written.keys) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let seen = Dictionary(events.map { ($0.id, $0.revision) }, uniquingKeysWith: { first, _ in first })
        let missing = written.filter { seen[$0.key] == nil }.count
        #expect(missing == 0, "\(missing) of \(written.count) acknowledged changes never reached the watcher")
        #expect(written.allSatisfy { seen[$0.key].map(String.init) == $0.value }, "an event's revision differs from its create's")
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.revision < $1.revision }, "events out of revision order or repeated")
        #expect(events.allSatisfy { $0.type == "created" })
        let notes = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").filter { $0.contains("reconnecting") } ?? []
        #expect(!notes.isEmpty, "the watcher never lost its connection: the restart did not happen under it")
    }

    @Test func aWatchFromPrunedHistoryIsGoneAndAnotherTenantsChangesAreNotSeen() async throws {
        let controller = ControllerProcess()
        defer { controller.cleanUp() }
        let token = try controller.initialize().trimmingCharacters(in: .newlines)
        try await controller.start(token: token, arguments: ["--history-revisions", "5"])
        let url = controller.baseURL + "/v1"
        let acme = try await HTTP.call("POST", url + "/tenants", token: token, body: ["name": "acme"]).json["id"] ?? ""
        let globex = try await HTTP.call("POST", url + "/tenants", token: token, body: ["name": "globex"]).json["id"] ?? ""
        let acmeToken = try await HTTP.call("POST", url + "/tenants/\(acme)/tokens", token: token, body: [:]).json["token"] ?? ""
        for index in 0..<10 {
            _ = try await HTTP.call("POST", url + "/switches", token: token,
                                    body: ["tenant": index % 2 == 0 ? acme : globex, "name": "s\(index)", "cidr": "10.\(index).0.0/24"])
        }
        let gone = try await Self.waitForPrune(url, token: token)
        #expect(gone.status == 410 && (gone.object["error"] as? [String: Any])?["code"] as? String == "history_pruned", "\(gone.object)")

        // A tenant's watch from the current revision sees its own changes only.
        let now = try #require(try await HTTP.call("GET", url + "/revision", token: token).object["revision"] as? Int)
        let log = controller.dataDirectory + ".tenant-watch.log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let watcher = try ChildProcess.launch([ControllerProcess.executable("syctl").path, "get", "switches", "--watch", "--since", String(now),
                                               "-o", "json", "--url", controller.baseURL, "--token", acmeToken], log: log)
        defer { watcher.kill() }
        _ = try await HTTP.call("POST", url + "/switches", token: token, body: ["tenant": globex, "name": "g", "cidr": "10.50.0.0/24"])
        let own = try await HTTP.call("POST", url + "/switches", token: token, body: ["tenant": acme, "name": "a", "cidr": "10.51.0.0/24"])
        let id = own.json["id"] ?? ""
        try await Self.waitFor(log, events: [(id, "created")])
        _ = try await HTTP.call("DELETE", url + "/switches/\(id)", token: token)
        try await Self.waitFor(log, events: [(id, "created"), (id, "deleted")])
    }

    /// Waits until the watcher's log holds exactly `events` (id, type), in order.
    static func waitFor(_ log: String, events expected: [(String, String)]) async throws {
        var events = Self.events(in: log)
        for _ in 0..<100 where events.count < expected.count {
            try await Task.sleep(for: .milliseconds(100))
            events = Self.events(in: log)
        }
        #expect(events.map { "\($0.id) \($0.type)" } == expected.map { "\($0.0) \($0.1)" })
    }

    /// A watch from revision 0, asked until it is refused as pruned (the pruner runs every 5 s);
    /// one still accepted streams on, and is given up after a second.
    static func waitForPrune(_ url: String, token: String) async throws -> HTTP.Reply {
        var request = URLRequest(url: URL(string: url + "/watch?since=0")!, timeoutInterval: 1)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        for _ in 0..<30 {
            if let (data, response) = try? await HTTP.session.data(for: request), (response as? HTTPURLResponse)?.statusCode == 410 {
                return HTTP.Reply(status: 410, body: data)
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        return HTTP.Reply(status: 0, body: Data())
    }

    /// The change events (bookmarks and the watcher's notes aside) in the watcher's log.
    static func events(in log: String) -> [(revision: Int, id: String, type: String)] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{"), let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let revision = object["revision"] as? Int, let type = object["type"] as? String, type != "bookmark",
                  let id = object["id"] as? String else { return nil }
            return (revision, id, type)
        }
    }
}
