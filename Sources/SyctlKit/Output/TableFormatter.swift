/// Renders rows as left-aligned columns under a header, three spaces apart, like `kubectl get`.
public enum TableFormatter {
    public static let gap = "   "

    /// The table as lines joined by newlines, without a trailing newline or trailing spaces.
    public static func render(columns: [String], rows: [[String]]) -> String {
        let lines = [columns] + rows
        let widths = columns.indices.map { column in lines.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return lines.map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 || column >= widths.count ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            .joined(separator: gap)
        }
        .joined(separator: "\n")
    }
}
