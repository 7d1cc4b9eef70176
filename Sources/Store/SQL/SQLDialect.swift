/// What SQLite and PostgreSQL spell differently, for the few statements that need it; the rest
/// of the store's SQL is their common subset.
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// The text at a JSON path (`$."key"`, bound to the fragment's one `?`) of a JSON text column.
    func jsonText(_ column: String) -> String {
        switch self {
        case .sqlite: "json_extract(\(column), ?)"
        case .postgres: "(jsonb_path_query_first(\(column)::jsonb, CAST(? AS jsonpath)) #>> '{}')"
        }
    }

    /// The elements of a JSON text array column, as rows of one text column `value`.
    func jsonArrayElements(_ column: String) -> String {
        switch self {
        case .sqlite: "json_each(\(column))"
        case .postgres: "jsonb_array_elements_text(\(column)::jsonb) AS value"
        }
    }
}
