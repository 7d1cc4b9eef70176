/// A container runtime on the host (the CNI plugin, the Docker driver) attaching a container:
/// the agent asks the controller, over its session, for a port bound to this host. Answered by
/// a ``PortAnswer`` with the same `requestID`.
public struct PortRequest: Codable, Equatable, Sendable {
    public var requestID: Int64
    /// Ids or names (names within the tenant).
    public var tenant: String
    public var `switch`: String
    public var cluster: String
    public var ip: String?
    public var labels: [String: String]
    public var owner: RuntimeOwner

    public init(requestID: Int64, tenant: String, switch: String, cluster: String, ip: String? = nil, labels: [String: String] = [:],
                owner: RuntimeOwner) {
        self.requestID = requestID
        self.tenant = tenant
        self.switch = `switch`
        self.cluster = cluster
        self.ip = ip
        self.labels = labels
        self.owner = owner
    }
}

/// The container's attachment that owns a port: on this host, by runtime, container and interface.
public struct RuntimeOwner: Codable, Equatable, Hashable, Sendable {
    public var runtime: String
    public var containerID: String
    public var interface: String

    public init(runtime: String, containerID: String, interface: String) {
        self.runtime = runtime
        self.containerID = containerID
        self.interface = interface
    }
}

/// Deletes the ports a container's attachments own on this host: one interface's, or all.
public struct PortRelease: Codable, Equatable, Sendable {
    public var requestID: Int64
    public var runtime: String
    public var containerID: String
    public var interface: String?

    public init(requestID: Int64, runtime: String, containerID: String, interface: String? = nil) {
        self.requestID = requestID
        self.runtime = runtime
        self.containerID = containerID
        self.interface = interface
    }
}

/// Garbage collection: deletes the ports this host's `runtime` owns on the switch except those of
/// the attachments in `keep`.
public struct PortCollection: Codable, Equatable, Sendable {
    public var requestID: Int64
    public var runtime: String
    public var tenant: String
    public var `switch`: String
    public var keep: [RuntimeOwner]

    public init(requestID: Int64, runtime: String, tenant: String, switch: String, keep: [RuntimeOwner]) {
        self.requestID = requestID
        self.runtime = runtime
        self.tenant = tenant
        self.switch = `switch`
        self.keep = keep
    }
}

/// Adds labels (replacing values of the same keys) to the ports a container's attachments own on
/// this host: labels a runtime learns after the port was made (Docker's endpoint options).
public struct PortLabels: Codable, Equatable, Sendable {
    public var requestID: Int64
    public var runtime: String
    public var containerID: String
    public var labels: [String: String]

    public init(requestID: Int64, runtime: String, containerID: String, labels: [String: String]) {
        self.requestID = requestID
        self.runtime = runtime
        self.containerID = containerID
        self.labels = labels
    }
}

/// The answer to a port request, release, collection or labelling: the ports concerned and the revision
/// that committed the change (the agent's state holds them once it reaches that revision), or a
/// refusal with the API's stable code and field.
public struct PortAnswer: Codable, Equatable, Sendable {
    public var requestID: Int64
    public var ports: [String]
    public var revision: Int64
    public var error: PortRefusal?

    public init(requestID: Int64, ports: [String] = [], revision: Int64 = 0, error: PortRefusal? = nil) {
        self.requestID = requestID
        self.ports = ports
        self.revision = revision
        self.error = error
    }
}

public struct PortRefusal: Codable, Equatable, Error, Sendable {
    public var code: String
    public var field: String?
    public var message: String

    public init(code: String, field: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }
}
