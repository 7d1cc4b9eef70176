import Northbound

/// Parses `--check TYPE[:PORT][PATH]`: `tcp`, `tcp:9000`, `http:/healthz`, `http:8081/healthz`,
/// `script`, `container` (their program comes with `--check-command`).
public enum HealthCheckParser {
    public static func parse(_ argument: String, command: [String]) throws -> HealthCheck {
        let (typeName, rest) = argument.firstIndex(of: ":").map { (String(argument[..<$0]), String(argument[argument.index(after: $0)...])) }
            ?? (argument, "")
        guard let type = HealthCheckType(rawValue: typeName.lowercased()) else {
            throw SyctlError.invalidArgument("invalid --check '\(argument)': the type is one of "
                + HealthCheckType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        let path = rest.dropFirst(digits.count)
        guard digits.isEmpty || Int(digits) != nil, path.isEmpty || (type == .http && path.hasPrefix("/")) else {
            throw SyctlError.invalidArgument("invalid --check '\(argument)': write tcp[:PORT], http[:PORT]/PATH, script or container")
        }
        if type == .script || type == .container {
            guard !command.isEmpty, rest.isEmpty else {
                throw SyctlError.invalidArgument("a \(type.rawValue) check names its program with --check-command (repeat it for arguments)")
            }
        } else if !command.isEmpty {
            throw SyctlError.invalidArgument("--check-command goes with script and container checks")
        }
        return HealthCheck(type: type, port: digits.isEmpty ? nil : Int(digits), path: path.isEmpty ? nil : String(path),
                           command: command.isEmpty ? nil : command)
    }
}
