/// A manifest that cannot be applied as written; nothing has been sent when this is thrown.
public struct ManifestError: UserFacingError, Equatable {
    /// Where the problem is; nil when the file as a whole is at fault (bad YAML, no objects).
    public var location: ManifestLocation?
    /// The offending field, with its path for nested ones (`quotas.ports`, `interfaces[2].switch`).
    public var field: String?
    public var message: String

    public init(location: ManifestLocation?, field: String?, _ message: String) {
        self.location = location
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = "manifest"
        if let location { text += " \(location)" }
        if let field { text += ", field '\(field)'" }
        return text + ": " + message
    }
}
