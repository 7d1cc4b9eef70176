#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One request on the local API socket, a JSON object on one line.
///
/// Ports the controller already has: `{"op":"attach","port":"pt-…","namespace":"cni-1234","interfaceName":"eth0"}`,
/// `{"op":"detach","port":"pt-…"}`, `{"op":"check","port":"pt-…"}`, `{"op":"list"}`.
///
/// Container runtimes (the CNI plugin, the Docker driver), which know a network and a container,
/// not a port: `add` asks the controller for a port on `network` owned by the container's
/// interface and plugs it into `namespace`; `remove` unplugs and deletes a container's ports
/// (one interface's, or all when `owner.interfaceName` is empty; idempotent); `verify` compares the kernel with the port; `collect` deletes the runtime's ports
/// on `network` except the attachments in `keep`; `status` answers whether ports can be added.
public struct LocalAPIRequest: Codable, Equatable, Sendable {
    public enum Operation: String, Codable, Sendable { case attach, detach, check, list, add, remove, verify, collect, status }

    public var op: Operation
    public var port: String?
    /// A name under /run/netns, or a runtime's path (`/proc/PID/ns/net`, `/run/netns/NAME`, …).
    public var namespace: String?
    public var interfaceName: String?
    public var owner: AttachmentOwner?
    public var network: WorkloadNetwork?
    /// A requested IPv4 address on the switch.
    public var ip: String?
    public var labels: [String: String]?
    /// For `add`: an MTU below the switch's, and whether the interface carries the default route.
    public var mtu: Int?
    public var defaultRoute: Bool?
    /// For `collect`: the runtime whose attachments on `network` are collected.
    public var runtime: String?
    /// For `collect`: the attachments to keep.
    public var keep: [AttachmentOwner]?

    public init(op: Operation, port: String? = nil, namespace: String? = nil, interfaceName: String? = nil,
                owner: AttachmentOwner? = nil, network: WorkloadNetwork? = nil, ip: String? = nil, labels: [String: String]? = nil,
                mtu: Int? = nil, defaultRoute: Bool? = nil, runtime: String? = nil, keep: [AttachmentOwner]? = nil) {
        self.op = op
        self.port = port
        self.namespace = namespace
        self.interfaceName = interfaceName
        self.owner = owner
        self.network = network
        self.ip = ip
        self.labels = labels
        self.mtu = mtu
        self.defaultRoute = defaultRoute
        self.runtime = runtime
        self.keep = keep
    }
}

/// The answer, one JSON line: the attachments concerned and, for `add` and `verify`, the
/// interfaces as the workload sees them; or an error.
public struct LocalAPIResponse: Codable, Equatable, Sendable {
    public var attachments: [PortAttachment]
    public var interfaces: [WorkloadInterface]?
    public var error: LocalAPIError?

    public init(attachments: [PortAttachment] = [], interfaces: [WorkloadInterface]? = nil, error: LocalAPIError? = nil) {
        self.attachments = attachments
        self.interfaces = interfaces
        self.error = error
    }
}

/// The switch a runtime attaches to, as its network configuration names it: ids or names
/// (names within the tenant), and the cluster whose hosts may create ports there.
public struct WorkloadNetwork: Codable, Equatable, Hashable, Sendable {
    public var tenant: String
    public var `switch`: String
    public var cluster: String

    public init(tenant: String, switch: String, cluster: String) {
        self.tenant = tenant
        self.switch = `switch`
        self.cluster = cluster
    }
}

/// A container's interface as a runtime names it: which runtime, which container, which interface.
public struct AttachmentOwner: Codable, Equatable, Hashable, Sendable {
    public var runtime: String
    public var containerID: String
    public var interfaceName: String

    public init(runtime: String, containerID: String, interfaceName: String) {
        self.runtime = runtime
        self.containerID = containerID
        self.interfaceName = interfaceName
    }
}

/// A plugged-in port as the workload sees it: what a CNI result or a Docker Join reports.
public struct WorkloadInterface: Codable, Equatable, Sendable {
    public var port: String
    public var interfaceName: String
    public var namespace: String
    public var mac: String
    /// With prefix length, e.g. `10.0.0.5/24`.
    public var ip: String
    public var gateway: String
    public var ip6: String?
    public var gateway6: String?
    public var mtu: Int
    public var defaultRoute: Bool
    /// The veth's end on the host, and its MAC.
    public var hostInterface: String?
    public var hostMAC: String?
    /// The resolver the workload should use: its switch's router serves the tenant's names there.
    /// Nil on a switch without a router (no server to ask).
    public var dns: WorkloadDNS?

    public init(port: String, interfaceName: String, namespace: String, mac: String, ip: String, gateway: String,
                ip6: String? = nil, gateway6: String? = nil, mtu: Int, defaultRoute: Bool = true, hostInterface: String? = nil,
                hostMAC: String? = nil, dns: WorkloadDNS? = nil) {
        self.port = port
        self.interfaceName = interfaceName
        self.namespace = namespace
        self.mac = mac
        self.ip = ip
        self.gateway = gateway
        self.ip6 = ip6
        self.gateway6 = gateway6
        self.mtu = mtu
        self.defaultRoute = defaultRoute
        self.hostInterface = hostInterface
        self.hostMAC = hostMAC
        self.dns = dns
    }
}

/// A workload's resolver settings, as a resolv.conf holds them.
public struct WorkloadDNS: Codable, Equatable, Sendable {
    public var nameservers: [String]
    /// The tenant's zone, so `SERVICE.PROJECT` resolves.
    public var search: [String]

    public init(nameservers: [String], search: [String]) {
        self.nameservers = nameservers
        self.search = search
    }
}
