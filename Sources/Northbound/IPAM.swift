/// Address allocation: the first free address at or after a hint, wrapping around once.
///
/// Starting from the hint (the address after the last one handed out) keeps allocation O(1)
/// while a subnet fills up, and still finds released addresses once the end is reached.
public enum IPAM {
    public static func firstFree(in range: ClosedRange<UInt64>, from hint: UInt64?, isFree: (UInt64) throws -> Bool) rethrows -> UInt64? {
        let start = hint.map { range.contains($0) ? $0 : range.lowerBound } ?? range.lowerBound
        var candidate = start
        repeat {
            if try isFree(candidate) { return candidate }
            candidate = candidate == range.upperBound ? range.lowerBound : candidate + 1
        } while candidate != start
        return nil
    }

    /// Host offsets within an IPv6 subnet that IPAM hands out: `::1` is the usual gateway, so start at 2.
    public static func ipv6Offsets(_ network: IPv6Network) -> ClosedRange<UInt64> {
        let hostBits = 128 - network.prefixLength
        let last: UInt64 = hostBits >= 32 ? UInt64(UInt32.max) : (UInt64(1) << hostBits) - 1
        return 2...last
    }
}
