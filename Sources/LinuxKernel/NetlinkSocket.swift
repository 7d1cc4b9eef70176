internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

/// An owned, connected libnl socket (`NETLINK_ROUTE` unless told otherwise). A netlink socket
/// belongs to the network namespace it was created in for its whole life, whichever thread later uses it.
final class NetlinkSocket {
    let pointer: OpaquePointer

    /// Connects a socket in the calling thread's network namespace.
    init(protocol family: Int32 = NETLINK_ROUTE) throws {
        let socket = try Netlink.allocate("nl_socket_alloc", { nl_socket_alloc() })
        do {
            try Netlink.call("nl_connect \(family)") { nl_connect(socket, family) }
        } catch {
            nl_socket_free(socket)
            throw error
        }
        pointer = socket
    }

    deinit { nl_socket_free(pointer) }

    /// Connects a socket inside the named namespace (under /run/netns), without moving the
    /// calling thread: a dedicated thread enters the namespace, connects, and returns.
    static func connect(inNamespace name: String) throws -> NetlinkSocket {
        try NetworkNamespace.perform(in: name) { try NetlinkSocket() }
    }
}

/// A named network namespace, `/run/netns/NAME` as `ip netns add NAME` creates it.
enum NetworkNamespace {
    /// Where named namespaces are pinned.
    static let directory = "/run/netns"

    /// A runtime's namespace is named by its path (`/proc/PID/ns/net`, `/run/docker/netns/ID`);
    /// every other name is pinned under /run/netns.
    static func path(_ name: String) -> String { name.hasPrefix("/") ? name : "\(directory)/\(name)" }

    /// Identifies one namespace instance: a namespace deleted and re-added under the same name gets
    /// a new inode, so cached sockets into the old one are not reused.
    struct Identity: Equatable {
        var device: UInt
        var inode: UInt
    }

    /// The identity of the namespace file, or nil when there is no such namespace.
    static func identity(of name: String) -> Identity? {
        var info = stat()
        guard stat(path(name), &info) == 0 else { return nil }
        return Identity(device: UInt(info.st_dev), inode: UInt(info.st_ino))
    }

    /// Opens the namespace file, e.g. to pass as `IFLA_NET_NS_FD`. The caller closes it.
    static func open(_ name: String, operation: String) throws -> Int32 {
        guard validName(name) else { throw Netlink.invalid(operation, "not a namespace name: \(name)") }
        return try Netlink.system("\(operation): open \(path(name))") { Glibc.open(path(name), O_RDONLY | O_CLOEXEC) }
    }

    /// Names are validated before they reach a path: `[A-Za-z0-9_.-]`, not `.` or `..`; paths are
    /// `/proc/PID/ns/net` or `/run/docker/netns/NAME`.
    static func validName(_ name: String) -> Bool {
        if name.hasPrefix("/") {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
            if parts.count == 4, parts[0] == "proc", parts[2] == "ns", parts[3] == "net" {
                return (1...10).contains(parts[1].utf8.count) && parts[1].utf8.allSatisfy { (0x30...0x39).contains($0) }
            }
            return parts.count == 4 && parts[0] == "run" && parts[1] == "docker" && parts[2] == "netns" && validName(parts[3])
        }
        return !name.isEmpty && name != "." && name != ".." && name.utf8.count <= 255
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            }
    }

    /// Runs `body` on a new thread that has entered the namespace with setns(2); the thread
    /// returns to its original namespace afterwards and exits. setns changes only the calling
    /// thread, so running it on a pool thread would leak the namespace into unrelated work.
    static func perform<T>(in name: String, _ body: () throws -> T) throws -> T {
        let operation = "ip netns exec \(name)"
        let target = try open(name, operation: operation)
        defer { close(target) }
        var outcome: Result<T, any Error>?
        try DedicatedThread.run {
            outcome = Result {
                let original = try Netlink.system("\(operation): open own namespace") {
                    Glibc.open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
                }
                defer { close(original) }
                try Netlink.system("\(operation): setns") { cnl_setns_network(target) }
                // The thread ends right after; returning is for hygiene, so a failure is not fatal.
                defer { _ = cnl_setns_network(original) }
                return try body()
            }
        }
        guard let outcome else { throw Netlink.invalid(operation, "namespace thread did not run") }
        return try outcome.get()
    }
}

/// Runs a closure to completion on a fresh POSIX thread and waits for it.
enum DedicatedThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    static func run(_ body: () -> Void) throws {
        try withoutActuallyEscaping(body) { escapable in
            let work = Unmanaged.passRetained(Work(escapable)).toOpaque()
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { argument in
                guard let argument else { return nil }
                Unmanaged<Work>.fromOpaque(argument).takeRetainedValue().body()
                return nil
            }, work)
            guard created == 0 else {
                Unmanaged<Work>.fromOpaque(work).release()
                throw KernelError(operation: "pthread_create", code: created, message: String(cString: strerror(created)),
                                  isSystemError: true)
            }
            pthread_join(thread, nil)
        }
    }
}
