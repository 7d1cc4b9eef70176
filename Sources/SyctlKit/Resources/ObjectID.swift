import Northbound

/// Tells ids from names wherever a command or manifest takes a reference.
public enum ObjectID {
    /// Whether `text` is an id of `kind`: the kind's prefix, a dash and 16 lower-case hex digits (`sw-00c0ffee00c0ffee`).
    /// Anything else is a name, even when it happens to start with another kind's prefix.
    public static func isID(_ text: String, of kind: ObjectKind) -> Bool {
        let prefix = kind.idPrefix + "-"
        guard text.hasPrefix(prefix) else { return false }
        let digits = text.dropFirst(prefix.count)
        return digits.count == 16 && digits.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
