/// An nftables address family, spelled as `nft` spells it.
public enum NftablesFamily: String, Equatable, Hashable, Sendable {
    case ip, ip6, inet, bridge, netdev
}

/// Elements to take out of and put into one set of a table (`add element F N SET { … }`), as nft
/// text built from validated values.
public struct NftablesSetChange: Equatable, Hashable, Sendable {
    public var set: String
    public var removed: [String]
    public var added: [String]

    public init(set: String, removed: [String] = [], added: [String] = []) {
        self.set = set
        self.removed = removed
        self.added = added
    }
}

/// An nftables table the agent owns: its name starts with ``ownPrefix``, and its `comment` carries a
/// hash of the generated ruleset so that a manager can compare it without listing the rules.
public struct NftablesTable: Equatable, Hashable, Sendable {
    /// The prefix of the tables the agent owns; `nftablesTables` reports only those.
    public static let ownPrefix = "sy"

    public var family: NftablesFamily
    public var name: String
    public var comment: String

    public init(family: NftablesFamily, name: String, comment: String = "") {
        self.family = family
        self.name = name
        self.comment = comment
    }

    /// `FAMILY NAME`, as nft commands address the table.
    public var qualifiedName: String { "\(family.rawValue) \(name)" }

    /// `[a-z0-9-]{1,63}`: safe to splice into nft text.
    public static func isValidName(_ name: String) -> Bool {
        (1...63).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-")
            }
    }

    /// `[a-z0-9_]{1,63}`, not starting with a digit: safe to splice into nft text as a set name.
    public static func isValidSetName(_ name: String) -> Bool {
        (1...63).contains(name.utf8.count) && name.utf8.first.map { !(0x30...0x39).contains($0) } == true
            && name.utf8.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "_")
            }
    }

    /// `[A-Za-z0-9:._-]{0,128}`: safe to splice into nft text between quotes.
    public static func isValidComment(_ comment: String) -> Bool {
        comment.utf8.count <= 128
            && comment.utf8.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
                    || ":._-".utf8.contains(byte)
            }
    }
}
