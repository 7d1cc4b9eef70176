public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

/// The real `Kernel`: links, FDB entries, neighbours, addresses and routes over rtnetlink through
/// libnl-3 / libnl-route-3, nftables tables through libnftables. Nothing here runs `ip`, `bridge`
/// or `nft`; each call's doc comment names the command it is equivalent to.
///
/// Namespaces: a call `in namespace: "NAME"` works in `/run/netns/NAME`. The kernel keeps one
/// libnl socket per namespace, opened inside it by a short-lived thread (see
/// `NetworkNamespace.perform`), because a netlink socket stays in the namespace it was created in.
/// A socket is dropped and reopened when its namespace file disappears or is replaced.
///
/// Being an actor serializes every use of the sockets (libnl sockets are not thread-safe). The
/// netlink calls themselves block briefly on the actor's executor.
public actor LinuxKernel: Kernel {
    /// Where calls with `namespace: nil` go: nil for the agent's own namespace, or a named one
    /// (for an agent that manages a simulated host's namespace from outside it, and for tests).
    public let defaultNamespace: String?

    private var ownSocket: NetlinkSocket?
    private var namespaceSockets: [String: (identity: NetworkNamespace.Identity, socket: NetlinkSocket)] = [:]
    private var lastPrune = ContinuousClock.now
    /// The libnftables context kept for the default namespace, and that namespace's identity
    /// when it is a named one (see ``NftablesContext``).
    var defaultNftables: (identity: NetworkNamespace.Identity?, context: NftablesContext)?
    /// The default namespace's links as last dumped (see ``links(in:)``).
    var defaultLinkList: LinkList?

    /// A dump of the default namespace's links, and the watch that tells when it is stale.
    struct LinkList {
        let watch: LinkChangeWatch
        /// The namespace file's identity when the default namespace is a named one.
        let identity: NetworkNamespace.Identity?
        let links: [Link]
        let readAt: ContinuousClock.Instant
    }

    /// - Parameter defaultNamespace: the namespace for calls that pass `nil` (nil: the agent's own).
    public init(defaultNamespace: String? = nil) {
        self.defaultNamespace = defaultNamespace
    }

    /// The socket for a namespace, connecting it on first use.
    func socket(for namespace: String?) throws -> NetlinkSocket {
        pruneSockets()
        guard let name = namespace ?? defaultNamespace else {
            if let ownSocket { return ownSocket }
            let socket = try NetlinkSocket()
            ownSocket = socket
            return socket
        }
        guard NetworkNamespace.validName(name) else {
            throw Netlink.invalid("ip netns exec \(name)", "not a namespace name: \(name)")
        }
        guard let identity = NetworkNamespace.identity(of: name) else {
            throw KernelError(operation: "ip netns exec \(name)", code: ENOENT,
                              message: "no network namespace \(NetworkNamespace.path(name))", isSystemError: true)
        }
        if let cached = namespaceSockets[name], cached.identity == identity { return cached.socket }
        let socket = try NetlinkSocket.connect(inNamespace: name)
        namespaceSockets[name] = (identity, socket)
        return socket
    }

    /// Runs `body` here for the agent's own namespace, or on a thread inside the named one (the
    /// default one for nil): a socket or context talks to the namespace of the thread that made it.
    func inNamespace<T>(_ namespace: String?, _ body: () throws -> T) throws -> T {
        guard let name = namespace ?? defaultNamespace else { return try body() }
        return try NetworkNamespace.perform(in: name, body)
    }

    /// The default namespace's file identity when it is a named one: what the sockets and the
    /// context kept for it are checked against, so a namespace replaced under its name is not
    /// served from the old one.
    var defaultNamespaceIdentity: NetworkNamespace.Identity? {
        defaultNamespace.flatMap(NetworkNamespace.identity(of:))
    }

    /// Closes the socket into a namespace about to be deleted, so it does not keep it alive.
    func forgetSocket(for namespace: String) {
        namespaceSockets[namespace] = nil
    }

    /// Closes sockets whose namespace was deleted (or replaced): an open socket would keep a
    /// deleted namespace, and the devices in it, alive. At most once a second: with a namespace
    /// per workload, checking them all on every call made a pass quadratic in the workloads.
    private func pruneSockets() {
        let now = ContinuousClock.now
        guard now - lastPrune >= .seconds(1) else { return }
        lastPrune = now
        for (name, cached) in namespaceSockets where NetworkNamespace.identity(of: name) != cached.identity {
            namespaceSockets[name] = nil
        }
    }

    /// The interface index of a link by name. Equivalent to `ip link show NAME`.
    func linkIndex(named name: String, socket: NetlinkSocket, for operation: String) throws -> Int32 {
        var link: OpaquePointer?
        try Netlink.call("\(operation): link \(name)") { rtnl_link_get_kernel(socket.pointer, 0, name, &link) }
        let object = LinkObject(owning: try Netlink.allocate("\(operation): link \(name)", { link }))
        return object.withPointer { rtnl_link_get_ifindex($0) }
    }

    /// One namespace's links by interface index, from one dump. Equivalent to `ip -d link show`.
    func linkNames(socket: NetlinkSocket) throws -> [Int32: String] {
        let cache = try Cache.dump("ip link show") { rtnl_link_alloc_cache(socket.pointer, AF_UNSPEC, $0) }
        return cache.withObjects { links in
            var names: [Int32: String] = [:]
            for link in links {
                names[rtnl_link_get_ifindex(link)] = String(cString: rtnl_link_get_name(link))
            }
            return names
        }
    }
}
