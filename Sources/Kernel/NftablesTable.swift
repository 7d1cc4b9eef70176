/// An nftables address family, spelled as `nft` spells it.
public enum NftablesFamily: String, Equatable, Hashable, Sendable {
    case ip, ip6, inet, bridge, netdev
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

    /// `[A-Za-z0-9:._-]{0,128}`: safe to splice into nft text between quotes.
    public static func isValidComment(_ comment: String) -> Bool {
        comment.utf8.count <= 128
            && comment.utf8.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
                    || ":._-".utf8.contains(byte)
            }
    }
}
