import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP client socket for tests that misbehave on purpose: connect and go silent, send half
/// a request, and see whether the server hangs up.
final class RawSocket: @unchecked Sendable {
    // Unchecked: one test task owns each socket.
    let descriptor: Int32

    /// Connects to 127.0.0.1:`port`, from `source` (an address of 127/8) when given.
    init(port: Int, from source: String? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ProcessFailure(what: "socket: errno \(errno)") }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                close(descriptor)
                throw ProcessFailure(what: "bind \(source): errno \(errno)")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ProcessFailure(what: "connect: errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) {
        _ = text.withCString { Glibc.send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// True when the server has closed the connection (or reset it). What it sent before (a 401
    /// to a request it will not read) is read and dropped on the way.
    var isClosedByPeer: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { continue }
            return count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
        }
    }

    /// `count` sockets opened by `open`, on a thread of their own: a thousand blocking connects
    /// must not hold up the few threads every other test's async code runs on.
    static func many(_ count: Int, _ open: @escaping @Sendable (Int) throws -> RawSocket) async throws -> [RawSocket] {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try (0..<count).map(open) })
            }.start()
        }
    }

    /// Lets this process hold many sockets: the soft open-files limit goes up to the hard one.
    static func raiseOpenFilesLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
