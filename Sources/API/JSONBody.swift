import Foundation
import Hummingbird
import Northbound

/// Strict request decoding: a JSON object within the size limit, no unknown fields, every type right.
enum JSONBody {
    static let maxBytes = 64 * 1024

    /// The decoded body and the top-level fields the client set to JSON null (used by PATCH to clear a field).
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
            throw modelError(error)
        }
        // Whatever the type would not write back is a field it does not have.
        let written = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
        if let unknown = unknownField(in: object, known: written, path: "") {
            throw ModelError(.unknownField, field: unknown, "unknown field '\(unknown)'")
        }
        // A null is written back as nothing, so check null fields against the type's properties instead.
        let nulls = Set(object.filter { $0.value is NSNull }.keys)
        let properties = Set(Mirror(reflecting: value).children.compactMap(\.label))
        if let unknown = nulls.subtracting(properties).sorted().first {
            throw ModelError(.unknownField, field: unknown, "unknown field '\(unknown)'")
        }
        return (value, nulls)
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

    private static func modelError(_ error: DecodingError) -> ModelError {
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
        case .dataCorrupted(let context):
            return ModelError(.invalidValue, field: path(context), context.debugDescription)
        @unknown default:
            return ModelError(.invalidJSON, "the body could not be decoded")
        }
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
