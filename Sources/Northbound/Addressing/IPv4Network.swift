/// An IPv4 prefix such as `10.0.0.0/24`; host bits must be zero.
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    public let address: IPv4Address
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        guard let (address, length) = Self.parse(text), address.value & ~Self.mask(length) == 0 else { return nil }
        self.address = address
        self.prefixLength = length
    }

    /// The prefix holding an interface address written `address/length` (`10.0.0.0/24` of
    /// `10.0.0.1/24`), or nil when the text is not one.
    public init?(containing interfaceAddress: some StringProtocol) {
        guard let (address, length) = Self.parse(interfaceAddress) else { return nil }
        self.address = IPv4Address(address.value & Self.mask(length))
        self.prefixLength = length
    }

    /// The address and length of `address/length`, host bits not checked (a list filter takes such
    /// a prefix and matches nothing). The length is decimal without a leading zero, like the octets.
    public static func parse(_ text: some StringProtocol) -> (address: IPv4Address, length: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]), let length = decimalPrefixLength(parts[1], upTo: 32) else { return nil }
        return (address, length)
    }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - length) }

    public var mask: UInt32 { Self.mask(prefixLength) }
    public var last: IPv4Address { IPv4Address(address.value | ~mask) }
    /// The first and last addresses a host may use: the network and broadcast addresses are excluded.
    public var firstHost: IPv4Address { IPv4Address(address.value + 1) }
    public var lastHost: IPv4Address { IPv4Address(last.value - 1) }

    public func contains(_ ip: IPv4Address) -> Bool { ip.value & mask == address.value }
    public func containsHost(_ ip: IPv4Address) -> Bool { contains(ip) && ip != address && ip != last }

    public func overlaps(_ other: IPv4Network) -> Bool {
        let shorter = min(prefixLength, other.prefixLength)
        return address.value & Self.mask(shorter) == other.address.value & Self.mask(shorter)
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

/// An IPv6 prefix such as `fd00:1::/64`; host bits must be zero.
public struct IPv6Network: Hashable, Sendable, CustomStringConvertible {
    public let address: IPv6Address
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        guard let (address, length) = Self.parse(text), Self.masked(address, length) == address else { return nil }
        self.address = address
        self.prefixLength = length
    }

    /// The address and length of `address/length`, host bits not checked; see `IPv4Network.parse`.
    public static func parse(_ text: some StringProtocol) -> (address: IPv6Address, length: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv6Address(parts[0]), let length = decimalPrefixLength(parts[1], upTo: 128) else { return nil }
        return (address, length)
    }

    static func masked(_ address: IPv6Address, _ length: Int) -> IPv6Address {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : UInt64.max << (64 - bits) }
        return IPv6Address(high: address.high & mask(length), low: address.low & mask(length - 64))
    }

    public func contains(_ ip: IPv6Address) -> Bool { Self.masked(ip, prefixLength) == address }

    public func overlaps(_ other: IPv6Network) -> Bool {
        let shorter = min(prefixLength, other.prefixLength)
        return Self.masked(address, shorter) == Self.masked(other.address, shorter)
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

/// A prefix length: ASCII digits without a leading zero, at most `maximum`.
private func decimalPrefixLength(_ text: some StringProtocol, upTo maximum: Int) -> Int? {
    guard (1...3).contains(text.count), text.allSatisfy(\.isASCIIDigit), text.count == 1 || text.first != "0",
          let length = Int(text), length <= maximum else { return nil }
    return length
}
