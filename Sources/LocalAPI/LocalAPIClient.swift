#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A one-request client of the agent's local API, for the CNI plugin and the command line.
public struct LocalAPIClient: Sendable {
    public static let defaultSocketPath = "/run/switchyard/agent.sock"

    public let socketPath: String

    public init(socketPath: String = defaultSocketPath) { self.socketPath = socketPath }

    /// Sends `request` and returns the answer; a refusal throws it.
    @discardableResult
    public func send(_ request: LocalAPIRequest) throws -> LocalAPIResponse {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalAPIError(code: "socket", message: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw LocalAPIError(code: "socket", message: "socket path too long: \(socketPath)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            throw LocalAPIError(code: "unreachable", message: "no agent at \(socketPath): \(String(cString: strerror(errno)))")
        }
        let line = Array(try JSONEncoder().encode(request)) + [UInt8(ascii: "\n")]
        var sent = 0
        while sent < line.count {
            let count = line[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw LocalAPIError(code: "io", message: String(cString: strerror(errno))) }
            sent += count
        }
        var reply: [UInt8] = []
        var byte: UInt8 = 0
        while read(descriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") { reply.append(byte) }
        guard !reply.isEmpty else {
            throw LocalAPIError(code: "unreachable", message: "the agent at \(socketPath) closed the connection without answering")
        }
        let response = try JSONDecoder().decode(LocalAPIResponse.self, from: Data(reply))
        if let error = response.error { throw error }
        return response
    }
}
