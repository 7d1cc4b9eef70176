/// FNV-1a: a hash that is the same in every process and on every run, unlike `Hasher`,
/// for placement decisions and derived addresses that all parties must agree on.
public enum StableHash {
    public static func fnv1a(_ parts: String...) -> UInt64 {
        fnv1a(parts)
    }

    /// `prefix` and the 16 hex digits of the parts' hash: a name that follows its contents.
    public static func name(_ prefix: String, of parts: [String]) -> String {
        let hex = String(fnv1a(parts), radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func fnv1a(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
