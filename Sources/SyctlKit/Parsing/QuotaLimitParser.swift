import Northbound

/// Parses `--limit 'switches 10, ports 1000, floating-ips 100'` into quota limits.
///
/// Entries are separated by commas; each is a limit name and a non-negative integer, separated by spaces or `=`.
/// Limits not named keep their current (or default) value on the controller.
public enum QuotaLimitParser {
    /// The limit names, as written on the command line.
    public static let names = ["switches", "ports", "routers", "floating-ips", "policies", "services"]

    public static func parse(_ text: String) throws -> QuotaLimits {
        var limits = QuotaLimits()
        var seen: Set<String> = []
        let entries = text.split(separator: ",", omittingEmptySubsequences: false)
        for entry in entries {
            let words = entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" })
            guard !words.isEmpty else { throw invalid(text, "an entry is empty") }
            let name = String(words[0])
            guard names.contains(name) else { throw invalid(text, "unknown limit '\(name)'") }
            guard words.count == 2 else { throw invalid(text, "'\(name)' needs exactly one number") }
            guard let value = Int(words[1]), value >= 0 else {
                throw invalid(text, "the limit of \(name) must be a non-negative integer, not '\(words[1])'")
            }
            guard seen.insert(name).inserted else { throw invalid(text, "\(name) is given twice") }
            switch name {
            case "switches": limits.switches = value
            case "ports": limits.ports = value
            case "routers": limits.routers = value
            case "floating-ips": limits.floatingIps = value
            case "policies": limits.policies = value
            default: limits.services = value
            }
        }
        return limits
    }

    private static func invalid(_ text: String, _ problem: String) -> SyctlError {
        .invalidArgument("invalid --limit '\(text)': \(problem); write it like 'switches 10, ports 1000' "
            + "with limits \(names.joined(separator: ", "))")
    }
}
