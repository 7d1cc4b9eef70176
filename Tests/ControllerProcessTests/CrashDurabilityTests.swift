import Foundation
import Testing

/// A 2xx means committed: after SIGKILL and a restart, every acknowledged object is there.
@Suite struct CrashDurabilityTests {
    @Test func everyAcknowledgedObjectSurvivesSIGKILL() async throws {
        let controller = ControllerProcess()
        defer { controller.cleanUp() }
        let printed = try controller.initialize()
        let token = printed.trimmingCharacters(in: .newlines)
        #expect(printed.hasSuffix("\n") && !token.contains("\n"), "init prints the token alone on standard output")
        #expect(token.hasPrefix("sya_") && token.count == 68)
        try await controller.start(token: token)

        let url = controller.baseURL + "/v1"
        let tenant = try await HTTP.call("POST", url + "/tenants", token: token, body: ["name": "acme"])
        #expect(tenant.status == 201)
        let sw = try await HTTP.call("POST", url + "/switches", token: token,
                                     body: ["tenant": tenant.json["id"] ?? "", "name": "s", "cidr": "10.0.0.0/16"])
        #expect(sw.status == 201)
        let switchID = sw.json["id"] ?? ""

        // Eight writers create ports until the controller is killed under them.
        let acknowledged = Acknowledged()
        let writers = (0..<8).map { writer in
            Task {
                var index = 0
                while true {
                    guard let reply = try? await HTTP.call("POST", url + "/ports", token: token,
                                                           body: ["switch": switchID, "name": "w\(writer)-\(index)"]) else { return }
                    if reply.status == 201 { await acknowledged.add(id: reply.json["id"] ?? "", ip: reply.json["ip"] ?? "") }
                    index += 1
                }
            }
        }
        while await acknowledged.count < 200 { try await Task.sleep(for: .milliseconds(20)) }
        controller.kill()
        for writer in writers { await writer.value }

        try await controller.start(token: token)
        let survivors = await acknowledged.ports
        #expect(survivors.count >= 200)
        for (id, ip) in survivors {
            let port = try await HTTP.call("GET", url + "/ports/\(id)", token: token)
            #expect(port.status == 200, "acknowledged port \(id) lost")
            #expect(port.json["ip"] == ip)
        }
        let revision = try await HTTP.call("GET", url + "/revision", token: token)
        #expect(Int(revision.json["revision"] ?? "0") ?? 0 >= survivors.count + 2)
        let after = try await HTTP.call("POST", url + "/ports", token: token, body: ["switch": switchID, "name": "after-restart"])
        #expect(after.status == 201, "the restarted controller takes writes")
        #expect(!survivors.values.contains(after.json["ip"] ?? ""), "no acknowledged address is handed out twice")
    }
}

actor Acknowledged {
    private(set) var ports: [String: String] = [:]
    var count: Int { ports.count }
    func add(id: String, ip: String) { ports[id] = ip }
}
