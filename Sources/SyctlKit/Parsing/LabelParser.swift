/// Parses repeated `--label key=value` options into a label map.
public enum LabelParser {
    /// The labels, or nil when none are given (so a create leaves labels unset).
    public static func parse(_ arguments: [String]) throws -> [String: String]? {
        guard !arguments.isEmpty else { return nil }
        var labels: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw SyctlError.invalidArgument("invalid --label '\(argument)': write it as key=value")
            }
            let key = String(argument[..<equals])
            guard labels[key] == nil else { throw SyctlError.invalidArgument("--label \(key) is given twice") }
            labels[key] = String(argument[argument.index(after: equals)...])
        }
        return labels
    }
}
