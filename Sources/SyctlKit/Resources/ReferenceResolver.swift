import Foundation

/// Turns references into ids and finds objects by name, with list calls filtered by name and scope.
///
/// A reference that looks like an id of its kind is used as is; anything else is a name. Names are unique
/// per tenant (per switch for ports), so a scope narrows the lookup; without one, a name must be unique
/// among the objects the token can see.
public struct ReferenceResolver: Sendable {
    let client: APIClient

    public init(client: APIClient) {
        self.client = client
    }

    /// What narrows a lookup by name: ids of the tenant and, for ports, the switch.
    public struct NameScope: Sendable {
        public var tenant: String?
        public var logicalSwitch: String?

        public init(tenant: String? = nil, logicalSwitch: String? = nil) {
            self.tenant = tenant
            self.logicalSwitch = logicalSwitch
        }

        var filters: [URLQueryItem] {
            (tenant.map { [URLQueryItem(name: "tenant", value: $0)] } ?? [])
                + (logicalSwitch.map { [URLQueryItem(name: "switch", value: $0)] } ?? [])
        }

        var summary: String? {
            let parts = (tenant.map { ["tenant \($0)"] } ?? []) + (logicalSwitch.map { ["switch \($0)"] } ?? [])
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }
    }

    /// The id `reference` stands for: the reference itself when it is an id of `kind`, else the id of the object so named.
    public func requiredID(of kind: ResourceKind, _ reference: String, in scope: NameScope = NameScope()) async throws -> String {
        if ObjectID.isID(reference, of: kind.objectKind) { return reference }
        let matches: [IdentifiedObject] = try await named(kind, reference, in: scope)
        guard let match = matches.first else { throw SyctlError.notFound(kind: kind, name: reference, scope: scope.summary) }
        return match.id
    }

    /// The id an optional reference stands for; nil stays nil.
    public func id(of kind: ResourceKind, _ reference: String?, in scope: NameScope = NameScope()) async throws -> String? {
        guard let reference else { return nil }
        return try await requiredID(of: kind, reference, in: scope)
    }

    /// The object `reference` names (by name or id), or nil when there is none.
    public func find<T: APIResource>(_ type: T.Type, _ reference: String, in scope: NameScope = NameScope()) async throws -> T? {
        if ObjectID.isID(reference, of: T.kind.objectKind) {
            do {
                return try await client.get("\(T.kind.path)/\(reference)")
            } catch let error as APIError where error.code == "not_found" {
                return nil
            }
        }
        let matches: [T] = try await named(T.kind, reference, in: scope)
        return matches.first
    }

    /// The object `reference` names, which must exist.
    public func require<T: APIResource>(_ type: T.Type, _ reference: String, in scope: NameScope = NameScope()) async throws -> T {
        guard let object = try await find(type, reference, in: scope) else {
            throw SyctlError.notFound(kind: T.kind, name: reference, scope: scope.summary)
        }
        return object
    }

    /// The objects named `name` in the scope: none or one, or an error saying what would tell several apart.
    private func named<T: Decodable>(_ kind: ResourceKind, _ name: String, in scope: NameScope) async throws -> [T] {
        let matches: [T] = try await client.list(kind.path, filters: [URLQueryItem(name: kind.nameField, value: name)] + scope.filters)
        guard matches.count <= 1 else {
            let hint = kind == .port ? "name the port's switch to pick one" : "name the tenant to pick one"
            throw SyctlError.ambiguousName(kind: kind, name: name, count: matches.count, hint: hint)
        }
        return matches
    }

    /// Just enough of any object to know its id.
    private struct IdentifiedObject: Decodable {
        let id: String
    }
}
