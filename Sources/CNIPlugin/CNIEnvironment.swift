/// The CNI_* variables a runtime sets for one call.
public struct CNIEnvironment: Equatable, Sendable {
    public enum Command: String, Sendable { case add = "ADD", del = "DEL", check = "CHECK", version = "VERSION", status = "STATUS", gc = "GC" }

    public var command: Command
    public var containerID: String?
    public var netns: String?
    public var ifname: String?
    /// CNI_ARGS, `K=V;K=V`.
    public var args: [String: String]

    /// Reads the variables; what a command needs and is missing is error 4.
    public init(_ variables: [String: String]) throws {
        guard let raw = variables["CNI_COMMAND"], !raw.isEmpty else {
            throw CNIError(code: CNIError.invalidEnvironment, msg: "CNI_COMMAND is not set")
        }
        guard let command = Command(rawValue: raw) else {
            throw CNIError(code: CNIError.invalidEnvironment, msg: "unknown CNI_COMMAND \(raw)")
        }
        self.command = command
        containerID = variables["CNI_CONTAINERID"].flatMap { $0.isEmpty ? nil : $0 }
        netns = variables["CNI_NETNS"].flatMap { $0.isEmpty ? nil : $0 }
        ifname = variables["CNI_IFNAME"].flatMap { $0.isEmpty ? nil : $0 }
        args = Self.parseArgs(variables["CNI_ARGS"] ?? "")
        let needed: [(String, String?)] = switch command {
        case .add, .check: [("CNI_CONTAINERID", containerID), ("CNI_NETNS", netns), ("CNI_IFNAME", ifname)]
        // DEL must work after the namespace is gone.
        case .del: [("CNI_CONTAINERID", containerID), ("CNI_IFNAME", ifname)]
        case .version, .status, .gc: []
        }
        if let missing = needed.first(where: { $0.1 == nil }) {
            throw CNIError(code: CNIError.invalidEnvironment, msg: "\(missing.0) is not set")
        }
    }

    static func parseArgs(_ text: String) -> [String: String] {
        var args: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { args[String(parts[0])] = String(parts[1]) }
        }
        return args
    }
}
