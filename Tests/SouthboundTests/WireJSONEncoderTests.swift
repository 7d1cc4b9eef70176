import Foundation
import Southbound
import Testing

/// The controller's streaming encoder must write what Foundation's `JSONDecoder` (the agent's)
/// reads back as the same value, and the same JSON as Foundation's `JSONEncoder` writes.
@Suite struct WireJSONEncoderTests {
    /// JSON text as a comparable value: objects without key order.
    static func parsed(_ bytes: [UInt8]) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? NSObject)
    }

    static func expectSameAsFoundation<T: Codable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fast = try WireJSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(T.self, from: Data(fast)) == value, sourceLocation: sourceLocation)
        #expect(try parsed(fast) == parsed(Array(JSONEncoder().encode(value))), sourceLocation: sourceLocation)
    }

    /// A host with something in every collection the wire has.
    static func richState() -> HostState {
        HostState(
            host: HostInfo(id: "hs-1", name: "hv1", underlay: "198.18.0.11", role: "edge"),
            switches: ["sw-a": SwitchState(vni: 100, mtu: 1450, cidr: "10.0.0.0/24", gateway: "10.0.0.1", cidr6: "fd00::/64",
                                           gateway6: "fd00::1",
                                           remotePorts: [RemotePort(mac: "02:00:00:00:00:03", ip: "10.0.0.3", ip6: "fd00::3", vtep: "198.18.0.12")],
                                           floodList: ["198.18.0.12", "198.18.0.13"])],
            ports: ["pt-1": PortState(switch: "sw-a", name: "web \"one\"", mac: "02:00:00:00:00:02", ip: "10.0.0.2/24", ip6: "fd00::2/64",
                                      gateway: "10.0.0.1", gateway6: "fd00::1", mtu: 1450, routedSources: ["10.9.0.0/16"],
                                      policyGroup: "g0000000000000001")],
            policy: PolicyState(sets: ["a0000000000000001": AddressSet(ipv4: ["10.0.0.3", "192.0.2.0/24"], ipv6: ["fd00::3"])],
                                ruleLists: ["r0000000000000001": RuleList(policy: "np-1", direction: .ingress, priority: 3, rules: [
                                    CompiledRule(action: .allow, peers: "a0000000000000001", ports: [PortMatch(protocol: "tcp", from: 80, to: 90)],
                                                 policy: "np-1"),
                                    CompiledRule(action: .deny, peers: nil, ports: [], policy: "np-1"),
                                ])],
                                groups: ["g0000000000000001": ["r0000000000000001"]]))
    }

    @Test func statesAndDeltasAreWhatFoundationWrites() throws {
        let state = Self.richState()
        var next = state
        next.ports["pt-2"] = next.ports["pt-1"]
        next.switches["sw-a"]?.floodList = []
        next.policy?.groups["g0000000000000002"] = ["r0000000000000001"]
        next.ports["pt-1"] = nil
        let messages: [ControllerMessage] = [
            .snapshot(revision: 4, state: state),
            .delta(fromRevision: 4, revision: 5, delta: HostStateDelta(from: state, to: next)),
            .heartbeat, .refused(code: "version", message: "wire version 2 required"),
            .serviceHealth(ServiceHealth(unhealthy: ["sv-1": ["pt-1"]])),
            .controllers(["c1.example:7443", "[fd00::2]:7443"]),
        ]
        for message in messages {
            try Self.expectSameAsFoundation(message)
            #expect(try JSONDecoder().decode(ControllerMessage.self, from: Data(WireJSONEncoder().encode(message))) == message)
        }
    }

    @Test func stringsAreEscapedAndNumbersExact() throws {
        let strings = ["", "plain", "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{01}\u{1f}", "é ☃ 😀", "a/b"]
        for string in strings { try Self.expectSameAsFoundation([string: string]) }
        try Self.expectSameAsFoundation([1.5, 3.0, -2.25, 1e-7, 123_456.789, 0.1, -0.0, 1e300])
        try Self.expectSameAsFoundation([Int64.max, Int64.min, 0])
        try Self.expectSameAsFoundation([true, false])
        #expect(throws: (any Error).self) { try WireJSONEncoder().encode([Double.nan]) }
        #expect(throws: (any Error).self) { try WireJSONEncoder().encode([Double.infinity]) }
    }

    /// Containers in every shape `Encodable` allows: nested, empty, a value that writes nothing,
    /// optionals absent and null.
    @Test func containersNestAndCloseInOrder() throws {
        struct Nothing: Codable, Equatable {
            func encode(to encoder: any Encoder) throws {}
            init() {}
            init(from decoder: any Decoder) throws {}
        }
        struct Shapes: Codable, Equatable {
            var nested: [[String: [Int]]] = [["a": [1, 2]], [:], ["b": []]]
            var empty: [String: String] = [:]
            var nothing = Nothing()
            var absent: Int?
            var last = "end"
        }
        try Self.expectSameAsFoundation(Shapes())
        struct Explicit: Encodable {
            func encode(to encoder: any Encoder) throws {
                var outer = encoder.container(keyedBy: Key.self)
                var inner = outer.nestedContainer(keyedBy: Key.self, forKey: .a)
                try inner.encodeNil(forKey: .b)
                var list = outer.nestedUnkeyedContainer(forKey: .b)
                try list.encode("x")
                var deeper = list.nestedContainer(keyedBy: Key.self)
                try deeper.encode(1, forKey: .a)
                try outer.encode(true, forKey: .c)
            }
            enum Key: String, CodingKey { case a, b, c }
        }
        let text = String(decoding: try WireJSONEncoder().encode(Explicit()), as: UTF8.self)
        #expect(text == #"{"a":{"b":null},"b":["x",{"a":1}],"c":true}"#)
    }
}
