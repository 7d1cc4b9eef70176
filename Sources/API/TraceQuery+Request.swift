import Hummingbird
import Northbound

extension TraceQuery {
    /// Reads `?from=pt-…&to=pt-…|10.0.0.5&protocol=tcp&port=443` from a request.
    init(request: Request) throws {
        var from: String?
        var to: TraceTarget?
        var proto = TraceProtocol.any
        var port: Int?
        for (name, value) in request.uri.queryParameters {
            let value = String(value)
            switch name {
            case "from":
                from = value
            case "to":
                if let address = IPv4Address(value) {
                    to = .address(address)
                } else if value.hasPrefix("pt-") {
                    to = .port(value)
                } else {
                    throw ModelError(.invalidQuery, field: "to", "to is a port id (pt-…) or an IPv4 address")
                }
            case "protocol":
                guard let parsed = TraceProtocol(rawValue: value) else {
                    throw ModelError(.invalidQuery, field: "protocol", "protocol is tcp, udp, icmp or any")
                }
                proto = parsed
            case "port":
                port = try QueryNumber.integer(value, in: 1...65_535, field: "port", "port must be a whole number from 1 to 65535")
            default:
                throw ModelError(.invalidQuery, field: String(name), "a trace takes from, to, protocol and port")
            }
        }
        guard let from else { throw ModelError(.invalidQuery, field: "from", "from names the source port") }
        guard let to else { throw ModelError(.invalidQuery, field: "to", "to names the destination port or address") }
        if port != nil, proto != .tcp, proto != .udp {
            throw ModelError(.invalidQuery, field: "port", "a port goes with protocol tcp or udp")
        }
        self.init(from: from, to: to, protocol: proto, port: port)
    }
}
