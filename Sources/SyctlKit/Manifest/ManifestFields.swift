import Northbound
import Yams

/// The fields of one YAML mapping in a manifest, read with typed accessors whose errors name the object and field.
///
/// Scalars are read from their text, not YAML's guess at a type, so `name: yes` is the name "yes"
/// and a label `tier: 1` is the string "1".
struct ManifestFields {
    let location: ManifestLocation
    /// The path of this mapping inside the object (`quotas`, `interfaces[2]`), empty at the top.
    let path: String
    private let values: [String: Node]

    init(_ node: Node, location: ManifestLocation, path: String = "") throws {
        self.location = location
        self.path = path
        guard let mapping = node.mapping else {
            throw ManifestError(location: location, field: path.isEmpty ? nil : path, "must be a mapping of fields")
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw ManifestError(location: location, field: path.isEmpty ? nil : path, "field names must be plain strings")
            }
            guard values[name] == nil else { throw ManifestError(location: location, field: Self.join(path, name), "given twice") }
            values[name] = value
        }
        self.values = values
    }

    /// Fails on the first field (in name order) outside `allowed`, naming the fields that are.
    func requireOnly(_ allowed: [String], in what: String) throws {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw error(unknown, "unknown field for \(what); fields are \(allowed.joined(separator: ", "))")
        }
    }

    func string(_ name: String) throws -> String? {
        guard let node = present(name) else { return nil }
        guard let scalar = node.scalar else { throw error(name, "must be a single value, not a list or mapping") }
        return scalar.string
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = try string(name) else { throw error(name, "is required") }
        return value
    }

    func int(_ name: String) throws -> Int? {
        guard let text = try string(name) else { return nil }
        guard let value = Int(text) else { throw error(name, "must be an integer, not '\(text)'") }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = try string(name) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw error(name, "must be true or false, not '\(text)'")
        }
    }

    /// A nested mapping, like `quotas`.
    func mapping(_ name: String) throws -> ManifestFields? {
        guard let node = present(name) else { return nil }
        return try ManifestFields(node, location: location, path: Self.join(path, name))
    }

    /// A list of mappings, like `interfaces`; absent is empty.
    func list(_ name: String) throws -> [ManifestFields] {
        guard let node = present(name) else { return [] }
        guard let sequence = node.sequence else { throw error(name, "must be a list") }
        return try sequence.enumerated().map { index, element in
            try ManifestFields(element, location: location, path: "\(Self.join(path, name))[\(index + 1)]")
        }
    }

    /// A list of single values, like a cluster's `hosts`; nil when absent.
    func stringList(_ name: String) throws -> [String]? {
        guard let node = present(name) else { return nil }
        guard let sequence = node.sequence else { throw error(name, "must be a list") }
        return try sequence.enumerated().map { index, element in
            guard let scalar = element.scalar else { throw error("\(name)[\(index + 1)]", "must be a single value") }
            return scalar.string
        }
    }

    /// A mapping of string keys to string values, like `labels`.
    func stringMap(_ name: String) throws -> [String: String]? {
        guard let fields = try mapping(name) else { return nil }
        var result: [String: String] = [:]
        for key in fields.values.keys {
            result[key] = try fields.string(key) ?? ""
        }
        return result
    }

    /// Whether the mapping has the field (YAML null counts as absent).
    func has(_ name: String) -> Bool { present(name) != nil }

    /// A field read as a mapping, or as each mapping of a list: `ingress` may be one rule or several.
    func mappings(_ name: String) throws -> [ManifestFields]? {
        guard let node = present(name) else { return nil }
        if node.sequence != nil { return try list(name) }
        return [try ManifestFields(node, location: location, path: Self.join(path, name))]
    }

    /// A nested field decoded as the API's own type (a policy's `appliesTo`, its rules).
    func decoded<T: Decodable>(_ name: String, as type: T.Type) throws -> T? {
        guard let node = present(name) else { return nil }
        do {
            return try YAMLDecoder().decode(T.self, from: node)
        } catch let DecodingError.keyNotFound(key, context) {
            throw error(Self.join(Self.codingPath(name, context.codingPath), key.stringValue), "is required")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context),
                let DecodingError.valueNotFound(_, context) {
            throw error(Self.codingPath(name, context.codingPath), context.debugDescription)
        } catch {
            throw self.error(name, "cannot be read: \(error)")
        }
    }

    private static func codingPath(_ name: String, _ path: [any CodingKey]) -> String {
        path.reduce(name) { result, key in key.intValue.map { "\(result)[\($0 + 1)]" } ?? "\(result).\(key.stringValue)" }
    }

    /// Runs a Northbound validator, reporting its refusal at this object and field.
    func validated<T>(_ name: String, _ validate: () throws -> T) throws -> T {
        do {
            return try validate()
        } catch let refusal as ModelError {
            throw ManifestError(location: location, field: refusal.field.map { Self.join(path, $0) } ?? Self.join(path, name),
                                refusal.message)
        }
    }

    func error(_ name: String, _ message: String) -> ManifestError {
        ManifestError(location: location, field: Self.join(path, name), message)
    }

    /// The value of a field, nil when absent or YAML null (`~`, `null`, nothing).
    private func present(_ name: String) -> Node? {
        guard let node = values[name] else { return nil }
        if let scalar = node.scalar, scalar.style == .plain, node.null != nil { return nil }
        return node
    }

    private static func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }
}
