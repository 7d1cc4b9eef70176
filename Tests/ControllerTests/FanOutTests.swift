import Controller
import Foundation
import Southbound
import Testing
import X509

/// Each change reaches exactly the agents whose state it changes, and a stalled agent holds up no one.
@Suite(.serialized) struct FanOutTests {
    @Test func aPortCreateReachesOnlyTheHostsOfItsSwitch() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let tenant = try await controller.create("/v1/tenants", ["name": "acme"])
        let web = try await controller.create("/v1/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])
        let db = try await controller.create("/v1/switches", ["tenant": tenant, "name": "db", "cidr": "10.1.0.0/24"])
        var hosts: [String] = []
        for index in 1...3 { hosts.append(try await controller.create("/v1/hosts", ["name": "hv\(index)", "address": "198.18.0.1\(index)"])) }
        _ = try await controller.create("/v1/ports", ["switch": web, "name": "w1", "host": hosts[0]])
        _ = try await controller.create("/v1/ports", ["switch": web, "name": "w2", "host": hosts[1]])
        _ = try await controller.create("/v1/ports", ["switch": db, "name": "d3", "host": hosts[2]])

        // Every agent enrolls first, so that under load no session's listening window ends before
        // the change is made; the change waits until every session took its snapshot.
        var enrolled: [(RawAgent, Certificate)] = []
        for host in hosts {
            let agent = RawAgent(port: controller.server.port)
            guard case .enrolled(let pem, _) = try await agent.enroll(join: try await controller.joinString(host: host)) else {
                throw TestFailure("enrollment refused")
            }
            enrolled.append((agent, try Certificate.fromPEM(pem)))
        }
        let (ready, readiness) = AsyncStream<Void>.makeStream()
        let sessions = try await withThrowingTaskGroup(of: (Int, [ControllerMessage]).self) { group in
            for (index, (agent, certificate)) in enrolled.enumerated() {
                group.addTask {
                    try await agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
                        try await channel.send(.hello(.init(appliedRevision: 0)))
                        guard case .snapshot(let revision, _) = try await channel.receive() else { throw TestFailure("no snapshot") }
                        try await channel.send(.ack(.init(revision: revision)))
                        readiness.yield()
                        // Whatever arrives after the change below, acked as it comes.
                        let received = try await channel.drain(for: .milliseconds(1500))
                        for case .delta(_, let revision, _) in received { try await channel.send(.ack(.init(revision: revision))) }
                        return (index, received)
                    }
                }
            }
            var count = 0
            for await _ in ready {
                count += 1
                if count == hosts.count { break }
            }
            _ = try await controller.create("/v1/ports", ["switch": web, "name": "w3", "host": hosts[0]])
            var all: [Int: [ControllerMessage]] = [:]
            for try await (index, messages) in group { all[index] = messages }
            return all
        }
        #expect(sessions[0]?.count == 1, "hv1 gets its new local port")
        #expect(sessions[1]?.count == 1, "hv2 learns the new remote port on web")
        #expect(sessions[2]?.isEmpty == true, "hv3 has nothing on web and hears nothing")
        if case .delta(_, _, let delta) = sessions[1]?.first {
            #expect(delta.ports.isEmpty && Array(delta.switches.changed.keys) == [web])
        }
    }
}
