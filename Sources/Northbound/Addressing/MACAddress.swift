/// A 48-bit Ethernet address, printed as six lower-case hex pairs separated by colons.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value & 0xffff_ffff_ffff }

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var value: UInt64 = 0
        for part in parts {
            guard part.count == 2, part.allSatisfy(\.isASCIIHexDigit), let octet = UInt64(part, radix: 16) else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    var firstOctet: UInt8 { UInt8(truncatingIfNeeded: value >> 40) }
    public var isMulticast: Bool { firstOctet & 0x01 != 0 }
    public var isLocallyAdministered: Bool { firstOctet & 0x02 != 0 }

    /// The first octet of the anycast gateway MACs that routers derive; never given to a port.
    public static let gatewayFirstOctet: UInt8 = 0x0e

    public var isGatewayReserved: Bool { firstOctet == Self.gatewayFirstOctet }

    /// A random unicast, locally administered address (the 0x02 bit set, the multicast bit clear),
    /// outside the range reserved for gateways.
    public static func randomLocal<G: RandomNumberGenerator>(using generator: inout G) -> MACAddress {
        while true {
            let random = UInt64.random(in: 0...0xffff_ffff_ffff, using: &generator)
            let mac = MACAddress(random & ~(UInt64(0x01) << 40) | UInt64(0x02) << 40)
            if !mac.isGatewayReserved { return mac }
        }
    }

    public var description: String {
        (0..<6).map { index in
            let octet = UInt8(truncatingIfNeeded: value >> (40 - 8 * index))
            let hex = String(octet, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
