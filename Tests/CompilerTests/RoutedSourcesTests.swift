import Compiler
import Northbound
import Testing

/// A port that is the next hop of a static route may send from the route's destination (it routes
/// for others); every other port only from its own addresses.
@Suite struct RoutedSourcesTests {
    @Test func theNextHopOfARouteMaySendFromItsDestination() {
        var desired = TracerTests.cloud()
        var hosts = IncrementalCompiler(desired).hostStates
        #expect(hosts["hs-2"]?.ports["pt-b"]?.routedSources == ["192.168.0.0/16"])
        #expect(hosts["hs-1"]?.ports["pt-a"]?.routedSources == nil)

        desired.switches["sw-web"]?.cidr6 = "fd00::/64"
        desired.ports["pt-b"]?.ip6 = "fd00::11"
        desired.routes["rr-2"] = StaticRoute(id: "rr-2", router: "rt-1", destination: "fd00:50::/64", nexthop: "fd00::11", revision: 1)
        hosts = IncrementalCompiler(desired).hostStates
        #expect(hosts["hs-2"]?.ports["pt-b"]?.routedSources == ["192.168.0.0/16", "fd00:50::/64"], "IPv6 routes via its IPv6 address")

        desired.routes["rr-1"] = nil
        desired.routes["rr-2"] = nil
        hosts = IncrementalCompiler(desired).hostStates
        #expect(hosts["hs-2"]?.ports["pt-b"]?.routedSources == nil, "without the route, pt-b is an ordinary port again")
    }
}
