/// FNV-1a: a hash that is the same in every process and on every run, unlike `Hasher`,
/// for placement decisions and derived addresses that all parties must agree on.
public enum StableHash {
    public static func fnv1a(_ parts: String...) -> UInt64 {
        fnv1a(parts)
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
