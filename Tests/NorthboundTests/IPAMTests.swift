import Northbound
import Testing

@Suite struct IPAMTests {
    @Test func startsAtTheHintAndWrapsAround() {
        let used: Set<UInt64> = [2, 3, 8]
        #expect(IPAM.firstFree(in: 2...9, from: nil) { !used.contains($0) } == 4)
        #expect(IPAM.firstFree(in: 2...9, from: 8) { !used.contains($0) } == 9)
        #expect(IPAM.firstFree(in: 2...9, from: 10) { !used.contains($0) } == 4, "a hint outside the range restarts at the bottom")
        let almostFull: Set<UInt64> = [2, 4, 5, 6, 7, 8, 9]
        #expect(IPAM.firstFree(in: 2...9, from: 9) { !almostFull.contains($0) } == 3, "wraps to find a released address")
        #expect(IPAM.firstFree(in: 2...9, from: 5) { _ in false } == nil)
    }

    @Test func ipv6OffsetsSkipTheRouterAnycastAndGateway() {
        #expect(IPAM.ipv6Offsets(IPv6Network("fd00::/120")!) == 2...255)
        #expect(IPAM.ipv6Offsets(IPv6Network("fd00::/64")!).upperBound == UInt64(UInt32.max))
    }
}
