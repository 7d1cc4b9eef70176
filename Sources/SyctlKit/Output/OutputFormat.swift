/// How commands print objects: `-o table` (the default) or `-o json`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json
}
