// Checks that text bound for an nftables ruleset is an address, a prefix or a MAC and nothing
// else, so no value from the wire can change a ruleset's meaning.

enum IPv4Text {
    /// Four decimal octets (one to three digits, at most 255) and three dots; read as bytes, since
    /// a table's worth of peers passes here.
    static func isAddress(_ text: String) -> Bool {
        isAddress(text.utf8[...])
    }

    static func isPrefix(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return false }
        let length = bytes[bytes.index(after: slash)...]
        guard let value = decimal(length), value <= 32 else { return false }
        return isAddress(bytes[..<slash])
    }

    private static func isAddress(_ bytes: Substring.UTF8View) -> Bool {
        var octets = 0
        for octet in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard let value = decimal(octet), value <= 255 else { return false }
            octets += 1
        }
        return octets == 4
    }

    /// One to three decimal digits, as a number.
    private static func decimal(_ digits: Substring.UTF8View) -> Int? {
        guard (1...3).contains(digits.count) else { return nil }
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
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
        isAddress(text.utf8[...])
    }

    static func isPrefix(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return false }
        let length = bytes[bytes.index(after: slash)...]
        guard (1...3).contains(length.count), length.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let value = Int(Substring(length)), value <= 128 else { return false }
        return isAddress(bytes[..<slash])
    }

    private static func isAddress(_ bytes: Substring.UTF8View) -> Bool {
        (2...39).contains(bytes.count) && bytes.contains(UInt8(ascii: ":"))
            && bytes.allSatisfy { byte in
                byte == UInt8(ascii: ":") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            }
    }
}

enum MACText {
    /// Six colon-separated pairs of hex digits.
    static func isAddress(_ text: String) -> Bool {
        let octets = text.split(separator: ":", omittingEmptySubsequences: false)
        return octets.count == 6 && octets.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isHexDigit } }
    }
}
