import Foundation
import Southbound
import Testing

@Suite struct HostStateDeltaTests {
    let host = HostInfo(id: "hs-1", name: "hv1", underlay: "198.18.0.11", role: "compute")

    func state(ports: [String: String], flood: [String]) -> HostState {
        HostState(host: host,
                  switches: ["sw-1": SwitchState(vni: 7, mtu: 1450, cidr: "10.0.0.0/24", gateway: "10.0.0.1", floodList: flood)],
                  ports: ports.mapValues { PortState(switch: "sw-1", name: $0, mac: "02:00:00:00:00:01", ip: "10.0.0.2/24",
                                                     gateway: "10.0.0.1", mtu: 1450) })
    }

    @Test func deltaCarriesOnlyWhatChangedAndAppliesBackToTheTarget() {
        let old = state(ports: ["pt-a": "a", "pt-b": "b"], flood: ["198.18.0.12"])
        let new = state(ports: ["pt-b": "b", "pt-c": "c"], flood: ["198.18.0.12", "198.18.0.13"])
        let delta = HostStateDelta(from: old, to: new)
        #expect(delta.ports.removed == ["pt-a"])
        #expect(Set(delta.ports.changed.keys) == ["pt-c"])
        #expect(Set(delta.switches.changed.keys) == ["sw-1"])
        #expect(delta.host == nil)
        #expect(delta.applied(to: old) == new)
        #expect(HostStateDelta(from: new, to: new).isEmpty)
    }

    @Test func deltaSurvivesTheWire() throws {
        let old = state(ports: ["pt-a": "a"], flood: [])
        let new = state(ports: [:], flood: ["198.18.0.12"])
        let delta = HostStateDelta(from: old, to: new)
        let decoded = try JSONDecoder().decode(HostStateDelta.self, from: JSONEncoder().encode(delta))
        #expect(decoded == delta)
        #expect(decoded.applied(to: old) == new)
    }

    @Test func servicesTravelEntryByEntryAndNoneLeavesNoTrace() throws {
        let web = ServiceState(vip: "10.96.0.10", router: "rt-1", ports: [ServicePortState(protocol: "tcp", port: 80, targetPort: 8080)],
                               algorithm: .random,
                               endpoints: [ServiceEndpointState(port: "pt-a", ip: "10.0.0.2", mac: "02:00:00:00:00:01", switch: "sw-1")])
        let plain = state(ports: ["pt-a": "a"], flood: [])
        var one = plain
        one.services = ["sv-web": web]
        var two = one
        two.services?["sv-dns"] = ServiceState(vip: "10.96.0.53", router: "rt-1",
                                                ports: [ServicePortState(protocol: "udp", port: 53, targetPort: 53)],
                                                algorithm: .sourceHash, endpoints: [])
        let added = HostStateDelta(from: one, to: two)
        #expect(added.services.map { Set($0.changed.keys) } == ["sv-dns"])
        #expect(added.applied(to: one) == two)
        let decoded = try JSONDecoder().decode(HostStateDelta.self, from: JSONEncoder().encode(added))
        #expect(decoded.applied(to: one) == two)
        #expect(HostStateDelta(from: two, to: plain).applied(to: two) == plain, "the last service gone: no services at all")
        #expect(HostStateDelta(from: plain, to: plain).services == nil)
        let wire = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        #expect(!wire.contains("services"), "a host without services sends what an older agent reads")
    }
}
