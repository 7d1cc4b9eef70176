/// On the wire every message is one flat JSON object tagged by `type`, e.g.
/// `{"type":"ack","revision":12,"errors":[]}`; see `schemas/wire.md`.
extension AgentMessage {
    private enum CodingKeys: String, CodingKey { case type }
    private enum Kind: String, Codable { case hello, ack, heartbeat, enroll, renew, requestPort, releasePorts, collectPorts, labelPorts, endpointHealth }

    public init(from decoder: any Decoder) throws {
        switch try decoder.container(keyedBy: CodingKeys.self).decode(Kind.self, forKey: .type) {
        case .hello: self = .hello(try Hello(from: decoder))
        case .ack: self = .ack(try Ack(from: decoder))
        case .heartbeat: self = .heartbeat
        case .enroll: self = .enroll(try Enroll(from: decoder))
        case .renew: self = .renew
        case .requestPort: self = .requestPort(try PortRequest(from: decoder))
        case .releasePorts: self = .releasePorts(try PortRelease(from: decoder))
        case .collectPorts: self = .collectPorts(try PortCollection(from: decoder))
        case .labelPorts: self = .labelPorts(try PortLabels(from: decoder))
        case .endpointHealth: self = .endpointHealth(try EndpointHealthReport(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .hello(let hello):
            try container.encode(Kind.hello, forKey: .type)
            try hello.encode(to: encoder)
        case .ack(let ack):
            try container.encode(Kind.ack, forKey: .type)
            try ack.encode(to: encoder)
        case .heartbeat:
            try container.encode(Kind.heartbeat, forKey: .type)
        case .enroll(let enroll):
            try container.encode(Kind.enroll, forKey: .type)
            try enroll.encode(to: encoder)
        case .renew:
            try container.encode(Kind.renew, forKey: .type)
        case .requestPort(let request):
            try container.encode(Kind.requestPort, forKey: .type)
            try request.encode(to: encoder)
        case .releasePorts(let release):
            try container.encode(Kind.releasePorts, forKey: .type)
            try release.encode(to: encoder)
        case .collectPorts(let collection):
            try container.encode(Kind.collectPorts, forKey: .type)
            try collection.encode(to: encoder)
        case .labelPorts(let labels):
            try container.encode(Kind.labelPorts, forKey: .type)
            try labels.encode(to: encoder)
        case .endpointHealth(let report):
            try container.encode(Kind.endpointHealth, forKey: .type)
            try report.encode(to: encoder)
        }
    }
}

extension ControllerMessage {
    private enum CodingKeys: String, CodingKey {
        case type, revision, fromRevision, state, delta, certificatePEM, caPEM, code, message, addresses
    }
    private enum Kind: String, Codable { case snapshot, delta, heartbeat, enrolled, renewed, refused, portAnswer, serviceHealth, controllers }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .snapshot:
            self = .snapshot(revision: try container.decode(Int64.self, forKey: .revision),
                             state: try container.decode(HostState.self, forKey: .state))
        case .delta:
            self = .delta(fromRevision: try container.decode(Int64.self, forKey: .fromRevision),
                          revision: try container.decode(Int64.self, forKey: .revision),
                          delta: try container.decode(HostStateDelta.self, forKey: .delta))
        case .heartbeat:
            self = .heartbeat
        case .enrolled:
            self = .enrolled(certificatePEM: try container.decode(String.self, forKey: .certificatePEM),
                             caPEM: try container.decode(String.self, forKey: .caPEM))
        case .renewed:
            self = .renewed(certificatePEM: try container.decode(String.self, forKey: .certificatePEM))
        case .refused:
            self = .refused(code: try container.decode(String.self, forKey: .code), message: try container.decode(String.self, forKey: .message))
        case .portAnswer:
            self = .portAnswer(try PortAnswer(from: decoder))
        case .serviceHealth:
            self = .serviceHealth(try ServiceHealth(from: decoder))
        case .controllers:
            self = .controllers(try container.decode([String].self, forKey: .addresses))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .snapshot(let revision, let state):
            try container.encode(Kind.snapshot, forKey: .type)
            try container.encode(revision, forKey: .revision)
            try container.encode(state, forKey: .state)
        case .delta(let fromRevision, let revision, let delta):
            try container.encode(Kind.delta, forKey: .type)
            try container.encode(fromRevision, forKey: .fromRevision)
            try container.encode(revision, forKey: .revision)
            try container.encode(delta, forKey: .delta)
        case .heartbeat:
            try container.encode(Kind.heartbeat, forKey: .type)
        case .enrolled(let certificate, let ca):
            try container.encode(Kind.enrolled, forKey: .type)
            try container.encode(certificate, forKey: .certificatePEM)
            try container.encode(ca, forKey: .caPEM)
        case .renewed(let certificate):
            try container.encode(Kind.renewed, forKey: .type)
            try container.encode(certificate, forKey: .certificatePEM)
        case .refused(let code, let message):
            try container.encode(Kind.refused, forKey: .type)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        case .portAnswer(let answer):
            try container.encode(Kind.portAnswer, forKey: .type)
            try answer.encode(to: encoder)
        case .serviceHealth(let health):
            try container.encode(Kind.serviceHealth, forKey: .type)
            try health.encode(to: encoder)
        case .controllers(let addresses):
            try container.encode(Kind.controllers, forKey: .type)
            try container.encode(addresses, forKey: .addresses)
        }
    }
}
