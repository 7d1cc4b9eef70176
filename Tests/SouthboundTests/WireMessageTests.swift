import Foundation
import Southbound
import Testing

@Suite struct WireMessageTests {
    @Test func agentMessagesAreFlatTaggedObjects() throws {
        let ack = AgentMessage.ack(.init(revision: 12, errors: [ObjectError(object: "pt-1", message: "no such namespace")]))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ack)) as? [String: Any]
        #expect(json?["type"] as? String == "ack")
        #expect(json?["revision"] as? Int == 12)
        let owner = RuntimeOwner(runtime: "docker", containerID: "0123456789ab", interface: "syd0123456789ab")
        for message: AgentMessage in [ack, .hello(.init(appliedRevision: 3)), .heartbeat, .enroll(.init(token: "t", publicKeyPEM: "k")),
                                      .requestPort(PortRequest(requestID: 1, tenant: "acme", switch: "web", cluster: "", owner: owner)),
                                      .releasePorts(PortRelease(requestID: 2, runtime: "docker", containerID: "0123456789ab")),
                                      .collectPorts(PortCollection(requestID: 3, runtime: "cni", tenant: "acme", switch: "web", keep: [owner])),
                                      .labelPorts(PortLabels(requestID: 4, runtime: "docker", containerID: "0123456789ab", labels: ["app": "web"]))] {
            #expect(try JSONDecoder().decode(AgentMessage.self, from: JSONEncoder().encode(message)) == message)
        }
    }

    @Test func controllerMessagesRoundTrip() throws {
        let state = HostState(host: HostInfo(id: "hs-1", name: "hv1", underlay: "198.18.0.11", role: "compute"))
        var next = state
        next.host.underlay = "198.18.0.99"
        let messages: [ControllerMessage] = [
            .snapshot(revision: 4, state: state),
            .delta(fromRevision: 4, revision: 5, delta: HostStateDelta(from: state, to: next)),
            .heartbeat, .enrolled(certificatePEM: "c", caPEM: "a"), .refused(code: "revoked", message: "host revoked"),
        ]
        for message in messages {
            #expect(try JSONDecoder().decode(ControllerMessage.self, from: JSONEncoder().encode(message)) == message)
        }
        let unknown = Data(#"{"type":"reboot"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ControllerMessage.self, from: unknown) }
    }
}

@Suite struct AckBoundTests {
    @Test func anAckListsAtMostAThousandErrorsAndSaysHowManyMore() {
        let errors = (0..<5_000).map { ObjectError(object: "pt-\($0)", message: "failed") }
        let ack = AgentMessage.Ack.bounded(revision: 9, errors: errors)
        #expect(ack.errors.count == AgentMessage.Ack.maximumErrors)
        #expect(ack.errors.last == ObjectError(object: "*", message: "4001 more objects could not be realized"))
        #expect(AgentMessage.Ack.bounded(revision: 9, errors: Array(errors.prefix(3))).errors.count == 3)
    }
}
