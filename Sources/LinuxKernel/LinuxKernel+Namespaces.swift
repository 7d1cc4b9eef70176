public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// The names under `/run/netns`. Equivalent to `ip netns list`.
    public func namespaces() async throws -> [String] {
        guard let directory = opendir(NetworkNamespace.directory) else {
            if errno == ENOENT { return [] }
            throw Netlink.systemError("ip netns list: open \(NetworkNamespace.directory)")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Creates a network namespace and pins it at `/run/netns/NAME` with a bind mount, as `ip netns
    /// add NAME` does: a short-lived thread moves into a new namespace and mounts its handle. The
    /// namespace outlives the agent; the agent must run in the host's mount namespace (not under
    /// `ip netns exec`, whose mounts stay private) for other processes to see it.
    public func addNamespace(named name: String) async throws {
        let operation = "ip netns add \(name)"
        guard NetworkNamespace.validName(name), !name.hasPrefix("/") else { throw Netlink.invalid(operation, "not a namespace name: \(name)") }
        if mkdir(NetworkNamespace.directory, 0o755) != 0, errno != EEXIST {
            throw Netlink.systemError("\(operation): mkdir \(NetworkNamespace.directory)")
        }
        let path = NetworkNamespace.path(name)
        let file = try Netlink.system("\(operation): create \(path)") { open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0) }
        close(file)
        var outcome: Result<Void, any Error> = .success(())
        try DedicatedThread.run {
            outcome = Result {
                try Netlink.system("\(operation): unshare") { cnl_unshare_network() }
                try Netlink.system("\(operation): mount") { mount("/proc/thread-self/ns/net", path, "none", UInt(MS_BIND), nil) }
            }
        }
        if case .failure = outcome { unlink(path) }
        try outcome.get()
    }

    /// Unpins a namespace; it goes, with its devices, once nothing holds it (the cached socket into
    /// it is closed here). Equivalent to `ip netns del NAME`.
    public func deleteNamespace(named name: String) async throws {
        let operation = "ip netns del \(name)"
        guard NetworkNamespace.validName(name), !name.hasPrefix("/") else { throw Netlink.invalid(operation, "not a namespace name: \(name)") }
        forgetSocket(for: name)
        let path = NetworkNamespace.path(name)
        if umount2(path, Int32(MNT_DETACH)) != 0, errno != EINVAL {
            throw Netlink.systemError("\(operation): umount \(path)")
        }
        try Netlink.system("\(operation): unlink \(path)") { unlink(path) }
    }

    /// Reads `/proc/sys/KEY` (dots as slashes) in the namespace; missing settings are left out.
    /// Equivalent to `ip netns exec NS sysctl -n KEY…`.
    public func sysctls(_ keys: [String], in namespace: String?) async throws -> [String: String] {
        let paths = try keys.map { ($0, try Self.sysctlPath($0, operation: "sysctl -n \($0)")) }
        return try inNamespace(namespace) {
            paths.reduce(into: [:]) { values, entry in
                if let value = Self.readSmallFile(entry.1) { values[entry.0] = value }
            }
        }
    }

    /// Writes `/proc/sys/KEY` in the namespace. Equivalent to `ip netns exec NS sysctl -w KEY=VALUE`.
    public func setSysctl(_ key: String, to value: String, in namespace: String?) async throws {
        let operation = "sysctl -w \(key)=\(value)"
        let path = try Self.sysctlPath(key, operation: operation)
        guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { throw Netlink.invalid(operation, "not a setting value") }
        try inNamespace(namespace) { try Self.writeSmallFile(path, value, operation: operation) }
    }

    /// Writes `value` and a newline to a file under /proc or /sys in one write.
    private static func writeSmallFile(_ path: String, _ value: String, operation: String) throws {
        let file = try Netlink.system("\(operation): open \(path)") { open(path, O_WRONLY | O_CLOEXEC) }
        defer { close(file) }
        let bytes = Array((value + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw Netlink.systemError("\(operation): write \(path)") }
    }

    /// Asks the kernel for a link of `kind` with no settings: an unknown kind is refused as
    /// unsupported, a known one for its missing settings (or made, and deleted again).
    public func supportsLinkKind(_ kind: String, in namespace: String?) async -> Bool {
        guard let socket = try? socket(for: namespace), let link = try? LinkObject.make() else { return false }
        let name = "syprobe\(getpid() % 100_000)"
        rtnl_link_set_name(link.pointer, name)
        guard rtnl_link_set_type(link.pointer, kind) == 0 else { return false }
        let result = rtnl_link_add(socket.pointer, link.pointer, NLM_F_CREATE | NLM_F_EXCL)
        if result == 0 { _ = rtnl_link_delete(socket.pointer, link.pointer) }
        return result != -NLE_OPNOTSUPP
    }

    /// `net.ipv4.ip_forward` → `/proc/sys/net/ipv4/ip_forward`; keys are `[a-z0-9_-]` words
    /// joined by dots, so no key reaches outside `/proc/sys`.
    static func sysctlPath(_ key: String, operation: String) throws -> String {
        let words = key.split(separator: ".", omittingEmptySubsequences: false)
        guard words.count >= 2, words.allSatisfy({ word in
            !word.isEmpty && word.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2D }
        }) else { throw Netlink.invalid(operation, "not a setting name: \(key)") }
        return "/proc/sys/" + words.joined(separator: "/")
    }

    private static func readSmallFile(_ path: String) -> String? {
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        var bytes = buffer.prefix(count)
        while bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
