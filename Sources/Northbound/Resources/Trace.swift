/// The path a packet from a port to a port or address takes through the state the hosts were
/// given, hop by hop, ending in `delivered` or at the hop that drops it.
public struct Trace: Codable, Equatable, Sendable {
    public var from: String
    public var to: String
    public var `protocol`: TraceProtocol
    public var port: Int?
    /// The compiled revision the trace read.
    public var revision: Int64
    public var verdict: TraceVerdict
    /// Why the packet is dropped, when it is.
    public var reason: String?
    public var hops: [TraceHop]

    public init(from: String, to: String, protocol: TraceProtocol, port: Int?, revision: Int64, verdict: TraceVerdict,
                reason: String?, hops: [TraceHop]) {
        self.from = from
        self.to = to
        self.protocol = `protocol`
        self.port = port
        self.revision = revision
        self.verdict = verdict
        self.reason = reason
        self.hops = hops
    }
}

public enum TraceVerdict: String, Codable, Sendable {
    case delivered, dropped
}

public enum TraceProtocol: String, Codable, Sendable, CaseIterable {
    case tcp, udp, icmp, any
}

/// One hop: what handled the packet (`kind`, `object`), on which host, and what it did.
public struct TraceHop: Codable, Equatable, Sendable {
    public var kind: TraceHopKind
    /// The id of the object the hop is about (a port, switch, router, route, floating IP, host).
    public var object: String
    /// The host (by name) whose state carries the hop; nil for the external network.
    public var host: String?
    /// Whether that host acked the state the hop relies on; nil without a host.
    public var realized: Bool?
    public var detail: String

    public init(kind: TraceHopKind, object: String, host: String?, realized: Bool? = nil, detail: String) {
        self.kind = kind
        self.object = object
        self.host = host
        self.realized = realized
        self.detail = detail
    }
}

public enum TraceHopKind: String, Codable, Sendable {
    /// The source port on its host.
    case source
    /// A logical switch on a host: local delivery, or the lookup that finds a remote port.
    case `switch`
    /// The VXLAN tunnel from one host's VTEP to another's.
    case tunnel
    /// A router instance routing the packet (the distributed one on the source's host, or the edge).
    case router
    /// A static route a router used.
    case route
    /// The router's transit segment, from its distributed instance to its edge instance.
    case transit
    /// Address translation at the edge (SNAT to the uplink, or a floating IP).
    case nat
    /// A load-balanced service's address (its VIP, or its external address) translated to one of
    /// its endpoints, on the client's host or at the router's edge.
    case service
    /// The router's uplink onto an external network.
    case uplink
    /// The destination: a port on its host, or the external network.
    case destination
}

/// What `GET /v1/trace` asks: from a port to a port (by id) or an address.
public struct TraceQuery: Equatable, Sendable {
    public var from: String
    public var to: TraceTarget
    public var `protocol`: TraceProtocol
    public var port: Int?

    public init(from: String, to: TraceTarget, protocol: TraceProtocol = .any, port: Int? = nil) {
        self.from = from
        self.to = to
        self.protocol = `protocol`
        self.port = port
    }

    /// The target as the request named it.
    public var target: String {
        switch to {
        case .port(let id): id
        case .address(let address): address.description
        }
    }
}

public enum TraceTarget: Equatable, Sendable {
    case port(String)
    case address(IPv4Address)
}
