// Checks that text bound for an nftables ruleset is an address, a prefix or a MAC and nothing
// else, so no value from the wire can change a ruleset's meaning.

enum IPv4Text {
    static func isAddress(_ text: String) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            (1...3).contains(octet.count) && octet.allSatisfy(\.isASCII) && octet.allSatisfy(\.isNumber) && Int(octet)! <= 255
        }
    }

    static func isPrefix(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let length = Int(parts[1]), (0...32).contains(length), parts[1].allSatisfy(\.isNumber) else { return false }
        return isAddress(String(parts[0]))
    }
}

extension IPv4Text {
    /// The address as a number, or nil when it is not an IPv4 address.
    static func value(_ text: String) -> UInt32? {
        guard isAddress(text) else { return nil }
        return text.split(separator: ".").reduce(UInt32(0)) { $0 << 8 | UInt32($1)! }
    }

    /// Whether `address` lies in the prefix `cidr` (`10.0.0.0/24`, or a host's `10.0.0.1/24`).
    static func prefix(_ cidr: String, contains address: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), (0...32).contains(length),
              let network = value(String(parts[0])), let candidate = value(address) else { return false }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
        return network & mask == candidate & mask
    }
}

enum IPv6Text {
    /// Hex digits and colons only (no zone, no embedded IPv4), as the compiler writes addresses.
    static func isAddress(_ text: String) -> Bool {
        (2...39).contains(text.count) && text.contains(":") && text.allSatisfy { $0 == ":" || ($0.isASCII && $0.isHexDigit) }
    }

    static func isPrefix(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let length = Int(parts[1]), (0...128).contains(length), parts[1].allSatisfy(\.isNumber) else { return false }
        return isAddress(String(parts[0]))
    }
}

enum MACText {
    /// Six colon-separated pairs of hex digits.
    static func isAddress(_ text: String) -> Bool {
        let octets = text.split(separator: ":", omittingEmptySubsequences: false)
        return octets.count == 6 && octets.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isHexDigit } }
    }
}
