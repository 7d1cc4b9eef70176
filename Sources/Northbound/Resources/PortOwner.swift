/// Who asked for a port from a host: the runtime (`cni`, `docker`), the container and the
/// interface in it. A host's ports are looked up by it on delete and garbage collection, and a
/// repeated request for the same attachment returns the same port.
public struct PortOwner: Codable, Equatable, Hashable, Sendable {
    public var host: String
    public var runtime: String
    public var containerID: String
    public var interface: String

    public init(host: String, runtime: String, containerID: String, interface: String) {
        self.host = host
        self.runtime = runtime
        self.containerID = containerID
        self.interface = interface
    }
}
