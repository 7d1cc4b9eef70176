public import Kernel
internal import CNetlink
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// Opens both sockets on a thread of its own that enters the namespace, so no other call of
    /// the kernel runs in the wrong namespace meanwhile.
    public nonisolated func listeningSockets(port: Int, in namespace: String) async throws -> ListeningSockets {
        let operation = "listen on port \(port) in \(namespace)"
        guard (1...65535).contains(port) else { throw Netlink.invalid(operation, "not a port") }
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try NetworkNamespace.perform(in: namespace) {
                        let udp = try Self.boundSocket(cnl_sock_dgram_cloexec, port: port, operation: operation)
                        do {
                            let tcp = try Self.boundSocket(cnl_sock_stream_cloexec, port: port, operation: operation)
                            try Netlink.system("\(operation): listen") { listen(tcp, 128) }
                            return ListeningSockets(udp: udp, tcp: tcp)
                        } catch {
                            close(udp)
                            throw error
                        }
                    }
                })
            }
        }
    }

    private static func boundSocket(_ type: Int32, port: Int, operation: String) throws -> Int32 {
        let descriptor = try Netlink.system("\(operation): socket") { Glibc.socket(AF_INET, type, 0) }
        var on: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        do {
            try Netlink.system("\(operation): bind") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }
}
