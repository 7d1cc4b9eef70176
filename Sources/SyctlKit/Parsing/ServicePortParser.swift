import Northbound

/// Parses `--port PORT[:TARGET][/PROTOCOL]` (`80:8080/tcp`, `53/udp`, `443`; TCP by default).
public enum ServicePortParser {
    public static func parse(_ argument: String) throws -> ServicePort {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { throw invalid(argument) }
        let protocolName = parts.count == 2 ? parts[1].lowercased() : "tcp"
        guard let proto = ServiceProtocol(rawValue: protocolName) else {
            throw SyctlError.invalidArgument("invalid --port '\(argument)': the protocol is tcp or udp")
        }
        let numbers = parts[0].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(numbers.count), let port = numbers[0], numbers.allSatisfy({ $0 != nil }) else { throw invalid(argument) }
        return ServicePort(protocol: proto, port: port, targetPort: numbers.count == 2 ? numbers[1] : nil)
    }

    private static func invalid(_ argument: String) -> SyctlError {
        .invalidArgument("invalid --port '\(argument)': write it as PORT[:TARGET-PORT][/tcp|udp], like 80:8080/tcp")
    }
}
