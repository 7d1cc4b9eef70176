import Northbound

/// Parses `--limit 'switches 10, ports 1000, floating-ips 100'` into quota limits.
///
/// Entries are separated by commas; each is a limit name and a non-negative integer, separated by spaces or `=`.
/// The operators' notation is accepted too: `sdn.`-prefixed names (`sdn.floatingips 100`), in any case,
/// with or without `-`. Names of quotas that are not the network's (`vm`, `cont`, `memory 2000 GB`) are
/// refused with the list of those it manages. Limits not named keep their current (or default) value.
public enum QuotaLimitParser {
    /// The limit names, as written on the command line.
    public static let names = ["switches", "ports", "routers", "floating-ips", "policies", "services", "clusters",
                               "routes-per-router", "interfaces-per-router"]

    public static func parse(_ text: String) throws -> QuotaLimits {
        var limits = QuotaLimits()
        var seen: Set<String> = []
        let entries = text.split(separator: ",", omittingEmptySubsequences: false)
        for entry in entries {
            let words = entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" })
            guard !words.isEmpty else { throw invalid(text, "an entry is empty") }
            guard let name = canonicalName(String(words[0])) else {
                throw invalid(text, "'\(words[0])' is not a network quota")
            }
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
            case "clusters": limits.clusters = value
            case "routes-per-router": limits.routesPerRouter = value
            case "interfaces-per-router": limits.interfacesPerRouter = value
            default: limits.services = value
            }
        }
        return limits
    }

    /// `floating-ips` for `floating-ips`, `sdn.floatingips`, `SDN.Floating_IPs`…; nil for a name we do not manage.
    static func canonicalName(_ word: String) -> String? {
        func squeezed(_ text: String) -> String { text.lowercased().filter { $0 != "-" && $0 != "_" } }
        var wanted = word.lowercased()
        if wanted.hasPrefix("sdn.") { wanted.removeFirst("sdn.".count) }
        return names.first { squeezed($0) == squeezed(wanted) }
    }

    private static func invalid(_ text: String, _ problem: String) -> SyctlError {
        .invalidArgument("invalid --limit '\(text)': \(problem); write it like 'switches 10, ports 1000' "
            + "(or 'sdn.switches 10') with limits \(names.joined(separator: ", "))")
    }
}
