internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

/// Tells whether any link of a namespace changed since the last look: a netlink socket subscribed
/// to link notifications (`RTNLGRP_LINK`), drained without blocking. The kernel queues a
/// notification for every link added, removed or changed (name, MTU, flags, master, address) before
/// it answers the request that made the change, so the next look sees a change made by anyone,
/// this process included. A queue that overflowed (`ENOBUFS`) lost notifications: that counts as
/// a change, and so does any other error, so a doubt always means "read the links again".
final class LinkChangeWatch {
    private let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 32_768)

    /// Subscribes in the calling thread's network namespace.
    init() throws {
        let descriptor = socket(AF_NETLINK, cnl_sock_raw_cloexec, NETLINK_ROUTE)
        guard descriptor >= 0 else { throw Self.failure("socket", errno) }
        var address = sockaddr_nl()
        address.nl_family = sa_family_t(AF_NETLINK)
        address.nl_groups = UInt32(RTMGRP_LINK)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_nl>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw Self.failure("bind", code)
        }
        // Room for a burst (a pass creating hundreds of ports); beyond it, ENOBUFS says "changed".
        var size: Int32 = 1 << 20
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Drains what was queued since the last call; true when anything was, or some was lost.
    func changed() -> Bool {
        var changed = false
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                changed = true
                continue
            }
            let code = errno
            if count < 0, code == EINTR || code == ENOBUFS {
                changed = changed || code == ENOBUFS
                continue
            }
            return changed || !(count < 0 && (code == EAGAIN || code == EWOULDBLOCK))
        }
    }

    private static func failure(_ call: String, _ code: Int32) -> KernelError {
        KernelError(operation: "ip monitor link: \(call)", code: code, message: String(cString: strerror(code)), isSystemError: true)
    }
}
