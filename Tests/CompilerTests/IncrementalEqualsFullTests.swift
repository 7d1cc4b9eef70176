import Compiler
import Northbound
import Southbound
import Testing

/// The incremental compiler must always agree with a full recompute, and recompile only what a change touches.
@Suite struct IncrementalEqualsFullTests {
    @Test(arguments: 0..<300)
    func randomChangeSequencesMatchFullRecompute(seed: Int) {
        var changes = RandomChanges(seed: UInt64(seed))
        var compiler = IncrementalCompiler(DesiredState())
        var previous = compiler.hostStates
        for step in 1...40 {
            let change = changes.next(for: compiler.state)
            let reported = compiler.apply([change], revision: Int64(step))
            let full = compile(compiler.state)
            #expect(compiler.hostStates == full, "seed \(seed), step \(step): \(change)")
            let actuallyChanged = Set(full.keys).union(previous.keys).filter { full[$0] != previous[$0] }
            #expect(Set(reported.keys) == actuallyChanged, "seed \(seed), step \(step): reported changes differ")
            previous = full
            if compiler.hostStates != full { return }
        }
    }

    @Test(arguments: 0..<100)
    func hostsGetOnlyWhatTheyNeed(seed: Int) {
        var changes = RandomChanges(seed: UInt64(10_000 + seed))
        var state = DesiredState()
        for _ in 0..<60 { state.apply(changes.next(for: state)) }
        for (hostID, hostState) in compile(state) {
            let localPorts = state.ports.values.filter { $0.host == hostID }
            #expect(Set(hostState.ports.keys) == Set(localPorts.map(\.id)), "only ports bound to the host are local")
            // An edge host also carries the switches of the routers whose uplink it holds.
            let edgeTenants = Set(hostState.edgeRouters.keys.compactMap { state.routers[$0]?.tenant })
            let localTenants = Set(localPorts.map(\.tenant)).union(edgeTenants)
            let transits = Set(hostState.routers.keys.map { "\($0)/transit" })
            for switchID in hostState.switches.keys where !transits.contains(switchID) {
                #expect(localTenants.contains(state.switches[switchID]?.tenant ?? ""),
                        "seed \(seed): \(hostID) got switch \(switchID) of a tenant with no port on it")
            }
            let needed = Set(hostState.switches.keys)
            for (switchID, switchState) in hostState.switches where !transits.contains(switchID) {
                let expected = state.ports.values.filter { $0.switch == switchID && $0.host != nil && $0.host != hostID }.map(\.mac)
                #expect(Set(switchState.remotePorts.map(\.mac)) == Set(expected))
                #expect(!switchState.floodList.contains(hostState.host.underlay) || state.hosts.values.filter {
                    $0.address == hostState.host.underlay }.count > 1, "a host never floods to itself")
            }
            for routerState in hostState.routers.values {
                #expect(routerState.interfaces.allSatisfy { needed.contains($0.switch) })
                #expect(routerState.transit.map { needed.contains($0.switch) } ?? true)
            }
            #expect(needed.subtracting(state.switches.keys).isSubset(of: transits), "seed \(seed): a host got an unknown segment")
        }
    }

    @Test func onePortCreateRecompilesOnlyTheHostsOfItsSwitch() {
        var topology = Topology()
        for index in 1...20 { topology.host("hs-\(index)", "198.18.0.\(index)") }
        for index in 1...10 { topology.logicalSwitch("sw-\(index)", tenant: "tn-a", cidr: "10.\(index).0.0/24", vni: index) }
        for index in 1...40 {
            topology.port("pt-\(index)", on: "sw-\(index % 10 + 1)", host: "hs-\(index % 20 + 1)", ip: "10.0.0.\(index + 1)",
                          mac: MACAddress(UInt64(0x02) << 40 | UInt64(index)).description)
        }
        var compiler = IncrementalCompiler(topology.state)
        #expect(compiler.lastRecompiledHosts == 20)
        let port = Port(id: "pt-new", tenant: "tn-a", switch: "sw-1", name: "new", mac: "02:00:00:00:ff:ff", ip: "10.1.0.99",
                        host: "hs-3", labels: [:], revision: 2)
        let changed = compiler.apply([.port(id: "pt-new", port)], revision: 2)
        let switchHosts = Set(topology.state.ports.values.filter { $0.switch == "sw-1" }.compactMap(\.host)).union(["hs-3"])
        #expect(compiler.lastRecompiledHosts == switchHosts.count, "recompiled \(compiler.lastRecompiledHosts), expected \(switchHosts.count)")
        #expect(Set(changed.keys) == switchHosts)
    }
}
