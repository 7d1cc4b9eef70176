import Controller
import Foundation
import NIOCore
import SessionTransport
import Southbound
import Testing
import X509

/// An agent that stops reading holds up neither the controller nor other agents, and when it
/// reads again it converges. The controller keeps no queue for it: at most one message per
/// revision is in flight, the rest coalesce once the socket stops taking writes.
@Suite(.serialized) struct SlowAgentTests {
    @Test func aStalledAgentBlocksNobodyAndConverges() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let tenant = try await controller.create("/v1/tenants", ["name": "acme"])
        let shared = try await controller.create("/v1/switches", ["tenant": tenant, "name": "shared", "cidr": "10.0.0.0/16"])
        let own = try await controller.create("/v1/switches", ["tenant": tenant, "name": "own", "cidr": "10.1.0.0/24"])
        let slowHost = try await controller.create("/v1/hosts", ["name": "slow", "address": "198.18.0.11"])
        let fastHost = try await controller.create("/v1/hosts", ["name": "fast", "address": "198.18.0.12"])
        _ = try await controller.create("/v1/ports", ["switch": shared, "name": "anchor", "host": slowHost])

        let slow = RawAgent(port: controller.server.port)
        guard case .enrolled(let slowPEM, _) = try await slow.enroll(join: try await controller.joinString(host: slowHost)) else {
            throw TestFailure("enrollment refused")
        }
        let fast = RawAgent(port: controller.server.port)
        guard case .enrolled(let fastPEM, _) = try await fast.enroll(join: try await controller.joinString(host: fastHost)) else {
            throw TestFailure("enrollment refused")
        }
        let configuration = try TLSConfigurations.sessionClient(certificate: try Certificate.fromPEM(slowPEM), privateKey: slow.key,
                                                                certificateAuthority: controller.authority.certificate)
        try await SessionConnector(configuration: configuration).withSession(host: "127.0.0.1", port: controller.server.port) { inbound, outbound in
            try await RawAgent.send(.hello(.init(appliedRevision: 0)), outbound)
            // The slow agent now reads nothing while 150 revisions change its state, but stays alive.
            let heartbeats = Task {
                while !Task.isCancelled {
                    try await RawAgent.send(.heartbeat, outbound)
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { heartbeats.cancel() }
            let revisionsChangingSlow = 150
            try await fast.session(certificate: try Certificate.fromPEM(fastPEM), authority: controller.authority.certificate) { channel in
                try await channel.send(.hello(.init(appliedRevision: 0)))
                guard case .snapshot(let revision, _) = try await channel.receive() else { throw TestFailure("no snapshot") }
                try await channel.send(.ack(.init(revision: revision)))
                for index in 0..<revisionsChangingSlow {
                    _ = try await controller.create("/v1/ports", ["switch": shared, "name": "p\(index)", "host": fastHost])
                }
                // The fast agent still gets and acks its changes at once.
                let started = ContinuousClock.now
                async let created = controller.call(.post, "/v1/ports?wait=realized&timeout=5s",
                                                    body: ["switch": own, "name": "mine", "host": fastHost])
                var sawMine = false
                while !sawMine {
                    guard case .delta(_, let next, let delta) = try await channel.receive() else { continue }
                    try await channel.send(.ack(.init(revision: next)))
                    sawMine = delta.ports.changed.values.contains { $0.name == "mine" }
                }
                let (status, port) = try await created
                #expect(status == 201)
                #expect((port["status"] as? [String: Any])?["realized"] as? Bool == true)
                #expect(ContinuousClock.now - started < .seconds(2), "the stalled agent held up the fast one")
            }
            // Reading again: a snapshot, then deltas, ending at the compiled state.
            var frames = inbound.makeAsyncIterator()
            var held: HostState?
            var messages = 0
            let target = await controller.hub.compiledState(of: slowHost)
            while held != target {
                let message = try await RawAgent.receive(&frames)
                switch message {
                case .snapshot(_, let state): held = state
                case .delta(_, _, let delta): held = held.map { delta.applied(to: $0) }
                default: continue
                }
                messages += 1
            }
            #expect(messages <= revisionsChangingSlow + 1, "never more than one message per revision")
        }
    }
}
