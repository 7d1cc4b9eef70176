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

    @Test func aSilentEdgeHostLosesItsUplinksToAnotherAndGetsThemBack() async throws {
        // The hub started 10 s ago; no edge agent has spoken since.
        let hub = SouthboundHub(Self.state, startedAt: Date().addingTimeInterval(-10))
        let first = try #require(await hub.edgeHost(ofRouter: "rt-1"))
        let other = first == "hs-e1" ? "hs-e2" : "hs-e1"
        let transitVTEP = { await hub.compiledState(of: "hs-1")?.switches["rt-1/transit"]?.remotePorts.map(\.vtep) }
        #expect(await transitVTEP() == [Self.state.hosts[first]!.address])

        // The other edge host speaks. The first one, silent for 10 s, is within the grace a restarted
        // controller gives agents to reconnect (3 + 15 s)...
        _ = await hub.attach(host: other, appliedRevision: 0)
        await hub.updateEdgeAvailability(lostAfter: 3, unheardGrace: 15)
        #expect(await hub.edgeHost(ofRouter: "rt-1") == first)

        // ...but not within a shorter one (3 + 5 s): its uplink moves, at the same revision.
        let revision = await hub.revision
        await hub.updateEdgeAvailability(lostAfter: 3, unheardGrace: 5)
        #expect(await hub.edgeHost(ofRouter: "rt-1") == other)
        #expect(await hub.compiledState(of: first)?.routers.isEmpty == true, "the silent host drops the router")
        #expect(await transitVTEP() == [Self.state.hosts[other]!.address], "instances now send to the new edge")
        #expect(await hub.revision == revision, "nothing desired changed")

        // The first host speaks again: rendezvous hashing gives it its router back.
        _ = await hub.attach(host: first, appliedRevision: 0)
        await hub.updateEdgeAvailability(lostAfter: 3, unheardGrace: 5)
        #expect(await hub.edgeHost(ofRouter: "rt-1") == first)

        // Heard from, then silent past lostAfter: lost without any grace.
        await hub.updateEdgeAvailability(lostAfter: 3, unheardGrace: 5, now: Date().addingTimeInterval(4))
        #expect(await hub.edgeHost(ofRouter: "rt-1") == nil, "both edge hosts silent for 4 s")
    }
}
