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

        desired.routes["rr-1"] = nil
        hosts = IncrementalCompiler(desired).hostStates
        #expect(hosts["hs-2"]?.ports["pt-b"]?.routedSources == nil, "without the route, pt-b is an ordinary port again")
    }
}
