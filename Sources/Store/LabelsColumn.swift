import Foundation

/// Labels are stored as a JSON object in a TEXT column, so both dialects' JSON functions can filter on them.
enum LabelsColumn {
    static func encode(_ labels: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(labels), as: UTF8.self)) ?? "{}"
    }

    static func decode(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    /// A JSON path naming one key; keys are validated to exclude quotes.
    static func path(_ key: String) -> String { "$.\"\(key)\"" }
}
