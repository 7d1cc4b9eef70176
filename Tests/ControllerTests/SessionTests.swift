import Controller
import Foundation
import Northbound
import PKI
import Southbound
import Testing
import X509

/// Agents enroll, get their state, receive exactly the deltas that concern them, and ack them.
@Suite(.serialized) struct SessionTests {
    struct Setup {
        let controller: TestController
        let tenant: String
        let sw: String
        let hv1: String
        let hv2: String
    }

    func setUp() async throws -> Setup {
        let controller = try await TestController.start()
        let tenant = try await controller.create("/v1/tenants", ["name": "acme"])
        let sw = try await controller.create("/v1/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])
        let hv1 = try await controller.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        let hv2 = try await controller.create("/v1/hosts", ["name": "hv2", "address": "198.18.0.12"])
        return Setup(controller: controller, tenant: tenant, sw: sw, hv1: hv1, hv2: hv2)
    }

    func enrolled(_ setup: Setup, host: String) async throws -> (RawAgent, Certificate) {
        let agent = RawAgent(port: setup.controller.server.port)
        guard case .enrolled(let pem, _) = try await agent.enroll(join: try await setup.controller.joinString(host: host)) else {
            throw TestFailure("enrollment refused")
        }
        return (agent, try Certificate.fromPEM(pem))
    }

    @Test func agentGetsSnapshotThenExactlyTheDeltaAndItsAckRealizesThePort() async throws {
        let setup = try await setUp()
        let controller = setup.controller
        defer { Task { await controller.stop() } }
        _ = try await controller.create("/v1/ports", ["switch": setup.sw, "name": "a", "host": setup.hv1])
        let (agent, certificate) = try await enrolled(setup, host: setup.hv1)

        try await agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
            try await channel.send(.hello(.init(appliedRevision: 0)))
            guard case .snapshot(let revision, let state) = try await channel.receive() else { throw TestFailure("expected a snapshot") }
            #expect(state.host.name == "hv1")
            #expect(state.ports.count == 1 && state.switches.keys.sorted() == [setup.sw])
            try await channel.send(.ack(.init(revision: revision)))

            // A port on the other host: hv1 must learn its MAC and VTEP, and nothing else.
            let (status, port) = try await controller.call(.post, "/v1/ports", body: ["switch": setup.sw, "name": "b", "host": setup.hv2])
            #expect(status == 201)
            guard case .delta(let from, let next, let delta) = try await channel.receive() else { throw TestFailure("expected a delta") }
            #expect(from == revision && next == port["revision"] as? Int64 ?? Int64(port["revision"] as? Int ?? 0))
            #expect(delta.ports.isEmpty && delta.routers.isEmpty && delta.host == nil)
            #expect(Array(delta.switches.changed.keys) == [setup.sw])
            #expect(delta.switches.changed[setup.sw]?.remotePorts.map(\.vtep) == ["198.18.0.12"])
            #expect(delta.switches.changed[setup.sw]?.floodList == ["198.18.0.12"])
            try await channel.send(.ack(.init(revision: next)))
            let deadline = ContinuousClock.now + .seconds(5)
            while await controller.hub.status(of: setup.hv1).ackedRevision < next, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }

            // hv2 has no agent, so the port is not realized there; its status says so.
            let (_, fetched) = try await controller.call(.get, "/v1/ports/\(port["id"] as? String ?? "")?wait=realized&timeout=1s")
            let realization = fetched["status"] as? [String: Any]
            #expect(realization?["realized"] as? Bool == false)
            let hosts = realization?["hosts"] as? [[String: Any]] ?? []
            #expect(Set(hosts.compactMap { $0["host"] as? String }) == [setup.hv1, setup.hv2])
            #expect(hosts.first { $0["host"] as? String == setup.hv1 }?["realized"] as? Bool == true)
        }
        let (_, host) = try await controller.call(.get, "/v1/hosts/\(setup.hv1)")
        #expect((host["status"] as? [String: Any])?["ackedRevision"] as? Int ?? 0 > 0)
    }

    @Test func waitRealizedReturnsOnceTheAgentAcked() async throws {
        let setup = try await setUp()
        let controller = setup.controller
        defer { Task { await controller.stop() } }
        let (agent, certificate) = try await enrolled(setup, host: setup.hv1)
        try await agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
            try await channel.send(.hello(.init(appliedRevision: 0)))
            guard case .snapshot(let revision, _) = try await channel.receive() else { throw TestFailure("expected a snapshot") }
            try await channel.send(.ack(.init(revision: revision)))
            async let created = controller.call(.post, "/v1/ports?wait=realized&timeout=5s",
                                                body: ["switch": setup.sw, "name": "a", "host": setup.hv1])
            guard case .delta(_, let next, let delta) = try await channel.receive() else { throw TestFailure("expected a delta") }
            #expect(delta.ports.changed.count == 1)
            try await channel.send(.ack(.init(revision: next)))
            let (status, port) = try await created
            #expect(status == 201)
            #expect((port["status"] as? [String: Any])?["realized"] as? Bool == true)
        }
    }

    @Test func reconnectingAgentGetsWhatItMissedAsADelta() async throws {
        let setup = try await setUp()
        let controller = setup.controller
        defer { Task { await controller.stop() } }
        let (agent, certificate) = try await enrolled(setup, host: setup.hv1)
        _ = try await controller.create("/v1/ports", ["switch": setup.sw, "name": "a", "host": setup.hv1])
        let (held, heldState) = try await agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
            try await channel.send(.hello(.init(appliedRevision: 0)))
            guard case .snapshot(let revision, let state) = try await channel.receive() else { throw TestFailure("expected a snapshot") }
            try await channel.send(.ack(.init(revision: revision)))
            try await Task.sleep(for: .milliseconds(100))
            return (revision, state)
        }
        // While the agent is away: a second local port, and a remote one.
        _ = try await controller.create("/v1/ports", ["switch": setup.sw, "name": "b", "host": setup.hv1])
        _ = try await controller.create("/v1/ports", ["switch": setup.sw, "name": "c", "host": setup.hv2])
        try await agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
            try await channel.send(.hello(.init(appliedRevision: held)))
            guard case .delta(let from, _, let delta) = try await channel.receive() else { throw TestFailure("expected a delta, not a snapshot") }
            #expect(from == held)
            let converged = delta.applied(to: heldState)
            #expect(converged.ports.count == 2)
            #expect(converged.switches[setup.sw]?.remotePorts.count == 1)
            let expected = await controller.hub.compiledState(of: setup.hv1)
            #expect(converged == expected)
        }
    }

    @Test func aHostSeesOnlyItsOwnStateWhateverItAsks() async throws {
        let setup = try await setUp()
        let controller = setup.controller
        defer { Task { await controller.stop() } }
        let other = try await controller.create("/v1/switches", ["tenant": setup.tenant, "name": "private", "cidr": "10.9.0.0/24"])
        _ = try await controller.create("/v1/ports", ["switch": other, "name": "secret", "host": setup.hv1])
        let (agent, certificate) = try await enrolled(setup, host: setup.hv2)
        try await agent.session(certificate: certificate, authority: controller.authority.certificate) { channel in
            // The session's host comes from the certificate only; hello names no host.
            try await channel.send(.hello(.init(appliedRevision: 0)))
            guard case .snapshot(_, let state) = try await channel.receive() else { throw TestFailure("expected a snapshot") }
            #expect(state.host.id == setup.hv2)
            #expect(state.switches.isEmpty && state.ports.isEmpty, "hv2 has no ports: it gets none of hv1's state")
        }
    }
}
