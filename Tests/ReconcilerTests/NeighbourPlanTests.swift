import Agent
import Kernel
import Southbound
import Testing

/// Remote ports' addresses are answered on the host from permanent entries on the VXLAN device.
@Suite struct NeighbourPlanTests {
    @Test func eachRemoteAddressGetsOneEntryAndNothingElseStays() {
        let stale = Neighbour(ip: "10.0.0.99", mac: "02:00:00:00:00:99", device: "syvx-100")
        let moved = Neighbour(ip: "10.0.0.10", mac: "02:00:00:00:00:ff", device: "syvx-100")
        let plan = NeighbourManager.plan(desired: Fixtures.state, observed: ["syvx-100": [stale, moved], "syvx-200": []])
        #expect(plan.steps.map(\.operation.description) == [
            "ip neigh del 10.0.0.10 dev syvx-100",
            "ip neigh del 10.0.0.99 dev syvx-100",
            "ip neigh replace 10.0.0.10 lladdr 02:00:00:00:00:0a dev syvx-100 nud permanent",
            "ip neigh replace 10.0.0.11 lladdr 02:00:00:00:00:0b dev syvx-100 nud permanent",
        ])
        #expect(Set(plan.steps.map(\.object)) == ["sw-a"])
    }

    @Test func matchingEntriesPlanNothingAndAMissingDeviceIsSkipped() {
        #expect(NeighbourManager.plan(desired: Fixtures.state, observed: ["syvx-100": Fixtures.realizedNeighbours]).isEmpty)
        #expect(NeighbourManager.plan(desired: Fixtures.state, observed: [:]).isEmpty)
    }

    @Test func ipv6AddressesAreAnsweredToo() {
        var state = Fixtures.state
        state.switches["sw-a"]?.remotePorts = [RemotePort(mac: "02:00:00:00:00:0A", ip: "10.0.0.10", ip6: "fd00::10/64", vtep: "198.18.0.2")]
        let plan = NeighbourManager.plan(desired: state, observed: ["syvx-100": []])
        #expect(plan.steps.map(\.operation) == [
            .addNeighbour(Neighbour(ip: "10.0.0.10", mac: "02:00:00:00:00:0a", device: "syvx-100"), namespace: nil),
            .addNeighbour(Neighbour(ip: "fd00::10", mac: "02:00:00:00:00:0a", device: "syvx-100"), namespace: nil),
        ])
    }
}
