public import Kernel
internal import CNetlink
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// A blocking TCP exchange on a thread of its own inside the namespace (the socket's timeouts
    /// bound connect, send and receive), so a slow peer never holds up the actor.
    public nonisolated func probe(_ address: String, port: Int, sending request: [UInt8], limit: Int, timeout: Duration,
                                  in namespace: String?) async throws -> [UInt8] {
        let operation = "probe \(address):\(port)\(namespace.map { " in \($0)" } ?? "")"
        var parsed = in_addr()
        guard (1...65535).contains(port), inet_pton(AF_INET, address, &parsed) == 1 else {
            throw Netlink.invalid(operation, "not an IPv4 address and port")
        }
        let target = parsed
        let exchange = { @Sendable () throws -> [UInt8] in
            try Self.exchange(target, port: port, request: request, limit: limit, timeout: timeout, operation: operation)
        }
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    if let namespace { try NetworkNamespace.perform(in: namespace, exchange) } else { try exchange() }
                })
            }
        }
    }

    private static func exchange(_ target: in_addr, port: Int, request: [UInt8], limit: Int, timeout: Duration,
                                 operation: String) throws -> [UInt8] {
        let descriptor = try Netlink.system("\(operation): socket") { Glibc.socket(AF_INET, cnl_sock_stream_cloexec, 0) }
        defer { close(descriptor) }
        let (seconds, attoseconds) = timeout.components
        var limitTime = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        for option in [SO_SNDTIMEO, SO_RCVTIMEO] {
            _ = setsockopt(descriptor, SOL_SOCKET, option, &limitTime, socklen_t(MemoryLayout<timeval>.size))
        }
        var peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_port = in_port_t(UInt16(port).bigEndian)
        peer.sin_addr = target
        try Netlink.system("\(operation): connect") {
            withUnsafePointer(to: &peer) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        if !request.isEmpty {
            let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent == request.count else { throw Netlink.systemError("\(operation): send") }
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while answer.count < limit {
            let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard received > 0 else { break }
            answer += buffer[..<received]
        }
        return Array(answer.prefix(limit))
    }
}
