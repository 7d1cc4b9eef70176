import Foundation

/// Prints API objects as an aligned table (with referenced ids shown as names) or as the API's JSON.
public struct OutputRenderer: Sendable {
    let format: OutputFormat
    let client: APIClient

    public init(format: OutputFormat, client: APIClient) {
        self.format = format
        self.client = client
    }

    /// One object: a one-row table, or the JSON object.
    public func render<T: TableRepresentable & Encodable>(_ object: T) async throws -> String {
        switch format {
        case .table: await table([object])
        case .json: try json(object)
        }
    }

    /// Several objects: a table, or a JSON array.
    public func render<T: TableRepresentable & Encodable>(_ objects: [T]) async throws -> String {
        switch format {
        case .table: await table(objects)
        case .json: try json(objects)
        }
    }

    func table<T: TableRepresentable>(_ objects: [T]) async -> String {
        let names = await names(for: objects.flatMap(\.referencedIDs))
        return TableFormatter.render(columns: T.columns, rows: objects.map { $0.cells(names: names) })
    }

    func json(_ value: some Encodable) throws -> String {
        try Self.json(value)
    }

    /// The `-o json` form of any value: pretty-printed, keys sorted.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Looks up each referenced object once; one the token may not read shows as its id.
    func names(for references: [(kind: ResourceKind, id: String)]) async -> NameDirectory {
        var names: [String: String] = [:]
        var seen: Set<String> = []
        for (kind, id) in references where seen.insert(id).inserted {
            guard let object: NamedObject = try? await client.get("\(kind.path)/\(id)") else { continue }
            names[id] = object.name ?? object.address
        }
        return NameDirectory(names)
    }

    private struct NamedObject: Decodable {
        let name: String?
        let address: String?
    }
}
