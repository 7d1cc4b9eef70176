/// Names of referenced objects by id; an id it does not know shows as itself.
public struct NameDirectory: Sendable {
    private var names: [String: String]

    public init(_ names: [String: String] = [:]) {
        self.names = names
    }

    /// The name of the object `id`, the id itself if unknown, or `-` when there is no reference.
    public func name(_ id: String?) -> String {
        guard let id else { return "-" }
        return names[id] ?? id
    }
}
