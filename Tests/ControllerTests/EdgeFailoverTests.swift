import Controller
import Foundation
import Northbound
import Testing

/// A router's uplink moves off an edge host whose agent went silent, and comes back when it returns.
@Suite struct EdgeFailoverTests {
    static var state: DesiredState {
        var state = DesiredState(revision: 7)
        for (id, address, role) in [("hs-1", "198.18.0.11", HostRole.compute), ("hs-e1", "198.18.0.21", .edge), ("hs-e2", "198.18.0.22", .edge)] {
            state.hosts[id] = Host(id: id, name: id, address: address, role: role, labels: [:], revision: 1)
        }
        state.externalNetworks["en-1"] = ExternalNetwork(id: "en-1", name: "corp", cidr: "203.0.113.0/24", gateway: "203.0.113.1",
                                                         poolStart: "203.0.113.10", poolEnd: "203.0.113.99", labels: [:], revision: 1)
        state.switches["sw-1"] = LogicalSwitch(id: "sw-1", tenant: "tn-1", name: "web", cidr: "10.0.0.0/24", gateway: "10.0.0.1", mtu: 1450,
                                               vni: 100, labels: [:], revision: 1)
        state.ports["pt-1"] = Port(id: "pt-1", tenant: "tn-1", switch: "sw-1", name: "a", mac: "02:00:00:00:00:01", ip: "10.0.0.2",
                                   host: "hs-1", labels: [:], revision: 1)
        state.routers["rt-1"] = LogicalRouter(id: "rt-1", tenant: "tn-1", name: "r", externalNetwork: "en-1", snat: true,
                                              uplinkIp: "203.0.113.10", transitVni: 200, labels: [:], revision: 1)
        state.interfaces["ri-1"] = RouterInterface(id: "ri-1", router: "rt-1", switch: "sw-1", ip: "10.0.0.1", revision: 1)
        return state
    }

    /// Does what EdgeWatch and the store do: each change as a host update at a revision of its own.
    static func record(_ changes: [(host: String, available: Bool)], in hub: SouthboundHub, state: inout DesiredState) async {
        for change in changes {
            state.revision += 1
            state.hosts[change.host]?.available = change.available
            await hub.apply([.host(id: change.host, state.hosts[change.host])], revision: state.revision)
        }
    }

    @Test func aSilentEdgeHostLosesItsUplinksToAnotherAndGetsThemBack() async throws {
        // The hub started 10 s ago; no edge agent has spoken since.
        var state = Self.state
        let hub = SouthboundHub(state, startedAt: Date().addingTimeInterval(-10))
        let first = try #require(await hub.edgeHost(ofRouter: "rt-1"))
        let other = first == "hs-e1" ? "hs-e2" : "hs-e1"
        let transitVTEP = { await hub.compiledState(of: "hs-1")?.switches["rt-1/transit"]?.remotePorts.map(\.vtep) }
        #expect(await transitVTEP() == [Self.state.hosts[first]!.address])

        // The other edge host speaks. The first one, silent for 10 s, is within the grace a restarted
        // controller gives agents to reconnect (3 + 15 s)...
        _ = await hub.attach(host: other, appliedRevision: 0)
        #expect(await hub.edgeAvailabilityChanges(lostAfter: 3, unheardGrace: 15).isEmpty)

        // ...but not within a shorter one (3 + 5 s): it is lost, and its uplink moves at a new revision.
        let changes = await hub.edgeAvailabilityChanges(lostAfter: 3, unheardGrace: 5)
        #expect(changes.map(\.host) == [first] && changes.allSatisfy { !$0.available })
        await Self.record(changes, in: hub, state: &state)
        #expect(await hub.edgeHost(ofRouter: "rt-1") == other)
        #expect(await hub.compiledState(of: first)?.routers.isEmpty == true, "the lost host drops the router")
        #expect(await transitVTEP() == [Self.state.hosts[other]!.address], "instances now send to the new edge")
        #expect(await hub.revision == Self.state.revision + 1, "the move has a revision of its own")
        #expect(await hub.edgeAvailabilityChanges(lostAfter: 3, unheardGrace: 5).isEmpty, "recorded once")

        // The first host speaks again: it is back, and rendezvous hashing gives it its router back.
        _ = await hub.attach(host: first, appliedRevision: 0)
        let back = await hub.edgeAvailabilityChanges(lostAfter: 3, unheardGrace: 5)
        #expect(back.map(\.host) == [first] && back.allSatisfy(\.available))
        await Self.record(back, in: hub, state: &state)
        #expect(await hub.edgeHost(ofRouter: "rt-1") == first)

        // Heard from, then silent past lostAfter: lost without any grace.
        #expect(await hub.edgeAvailabilityChanges(lostAfter: 3, unheardGrace: 5, now: Date().addingTimeInterval(4)).count == 2)
    }
}
