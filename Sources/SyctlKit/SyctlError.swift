/// The failures syctl detects itself, before or between API calls.
public enum SyctlError: UserFacingError, Equatable {
    /// The controller could not be reached at all.
    case unreachable(url: String, reason: String)
    /// The controller answered with something that is not the API's JSON.
    case unexpectedResponse(status: Int, detail: String)
    /// No object of the kind has this name (within the scope described, if any).
    case notFound(kind: ResourceKind, name: String, scope: String?)
    /// Several objects share the name; the hint says what tells them apart.
    case ambiguousName(kind: ResourceKind, name: String, count: Int, hint: String)
    /// A command-line value is malformed; the message says which and how.
    case invalidArgument(String)
    /// The manifest asks to change a field the API cannot change in place.
    case immutableField(field: String, current: String, desired: String)
    /// Applying or deleting one manifest object failed for `reason`; objects before it were done.
    case objectFailed(object: String, location: ManifestLocation, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "cannot reach the controller at \(url): \(reason) (set --url or SWITCHYARD_URL)"
        case .unexpectedResponse(let status, let detail):
            "unexpected response from the controller (HTTP \(status)): \(detail)"
        case .notFound(let kind, let name, let scope):
            "\(kind.rawValue) '\(name)' not found" + (scope.map { " in \($0)" } ?? "")
        case .ambiguousName(let kind, let name, let count, let hint):
            "\(count) \(kind.plural) are named '\(name)'; \(hint)"
        case .invalidArgument(let message):
            message
        case .immutableField(let field, let current, let desired):
            "\(field) is \(current) on the controller but \(desired) in the manifest; "
                + "\(field) cannot be changed in place, delete the object and apply again"
        case .objectFailed(let object, let location, let reason):
            "\(object) (manifest \(location)): \(reason)"
        }
    }
}
