import Foundation
import Hummingbird
import Northbound

/// Strict request decoding: a JSON object within the size limit, no unknown fields, every type right.
enum JSONBody {
    static let maxBytes = 64 * 1024

    /// The decoded body and the top-level fields the client set to JSON null to clear them (PATCH).
    static func decode<T: Codable>(_ type: T.Type, from request: Request) async throws -> (value: T, nulls: Set<String>) {
        if let contentType = request.headers[.contentType], !contentType.lowercased().contains("json") {
            throw ModelError(.unsupportedMediaType, "send the body as application/json")
        }
        let buffer = try await request.body.collect(upTo: maxBytes)
        return try decode(type, from: Data(buffer.readableBytesView))
    }

    static func decode<T: Codable>(_ type: T.Type, from data: Data) throws -> (value: T, nulls: Set<String>) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ModelError(.invalidJSON, "the body is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw ModelError(.invalidJSON, "the body must be a JSON object") }
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw modelError(error, in: object)
        }
        // Whatever the type would not write back is a field it does not have.
        let written = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
        if let unknown = unknownField(in: object, known: written, path: "") {
            throw ModelError(.unknownField, field: unknown, "unknown field '\(unknown)'")
        }
        var cleared: Set<String> = []
        let nullable = (T.self as? any NullableFields.Type)?.nullableFields ?? []
        try checkNulls(in: object, of: value, path: "", nullable: nullable, cleared: &cleared)
        return (value, cleared)
    }

    /// A null is written back as nothing, so null fields are checked against the type's properties:
    /// one the type does not have is unknown; one it has is refused unless it is a top-level field
    /// the type lets a client clear (`nullable`), which goes into `cleared`. The decoder alone would
    /// read any null of an optional field as "absent", a value the document does not allow.
    private static func checkNulls(in object: [String: Any], of value: Any, path: String, nullable: Set<String>,
                                   cleared: inout Set<String>) throws {
        let properties = storedProperties(of: value)
        for (key, element) in object.sorted(by: { $0.key < $1.key }) {
            let field = path.isEmpty ? key : path + "." + key
            if element is NSNull {
                guard properties[key] != nil else { throw ModelError(.unknownField, field: field, "unknown field '\(field)'") }
                guard path.isEmpty, nullable.contains(key) else {
                    throw ModelError(.invalidType, field: field, "'\(field)' may not be null; leave it out instead")
                }
                cleared.insert(key)
            } else if let nested = element as? [String: Any], let property = properties[key] {
                try checkNulls(in: nested, of: property, path: field, nullable: [], cleared: &cleared)
            }
        }
    }

    /// The stored properties of a decoded value by name, looking through an Optional.
    private static func storedProperties(of value: Any) -> [String: Any] {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.map { storedProperties(of: $0.value) } ?? [:] }
        return Dictionary(mirror.children.compactMap { child in child.label.map { ($0, child.value) } }, uniquingKeysWith: { $1 })
    }

    private static func unknownField(in object: [String: Any], known: [String: Any], path: String) -> String? {
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where !(value is NSNull) {
            let field = path.isEmpty ? key : path + "." + key
            guard let knownValue = known[key] else { return field }
            if let nested = value as? [String: Any], let knownNested = knownValue as? [String: Any],
               let unknown = unknownField(in: nested, known: knownNested, path: field) {
                return unknown
            }
        }
        return nil
    }

    private static func modelError(_ error: DecodingError, in object: [String: Any]) -> ModelError {
        func path(_ context: DecodingError.Context, _ last: (any CodingKey)? = nil) -> String {
            (context.codingPath + (last.map { [$0] } ?? [])).map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ModelError(.missingField, field: path(context, key), "the field '\(path(context, key))' is required")
        case .typeMismatch(let type, let context):
            return ModelError(.invalidType, field: path(context), "'\(path(context))' must be of type \(jsonTypeName(type))")
        case .valueNotFound(let type, let context):
            return ModelError(.invalidType, field: path(context), "'\(path(context))' must be of type \(jsonTypeName(type)), not null")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // The decoder refuses a number an integer field cannot hold (1.5, 1e30) without saying where.
            guard let field = nonInteger(in: object, path: "") else { return ModelError(.invalidValue, context.debugDescription) }
            return ModelError(.invalidType, field: field, "'\(field)' must be of type integer")
        case .dataCorrupted(let context):
            return ModelError(.invalidValue, field: path(context), context.debugDescription)
        @unknown default:
            return ModelError(.invalidJSON, "the body could not be decoded")
        }
    }

    /// The first number in the body that is not a whole number within 64 bits: request bodies have
    /// integer fields only, and an integral value such as `1610.0` is an integer (as in JSON Schema).
    private static func nonInteger(in object: [String: Any], path: String) -> String? {
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let field = path.isEmpty ? key : path + "." + key
            if let number = value as? NSNumber, Int64(exactly: number.doubleValue) == nil { return field }
            if let nested = value as? [String: Any], let found = nonInteger(in: nested, path: field) { return found }
        }
        return nil
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Int64.Type: "integer"
        case is Bool.Type: "boolean"
        case is [String: String].Type: "object of strings"
        default: "object"
        }
    }
}
