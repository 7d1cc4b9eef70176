@testable import Agent
import DNS
import Glibc
import NIOCore
import NIOPosix
import Testing

/// The forwarder holds a socket per query for up to its timeout: a workload asking for endless
/// new names must not take every file descriptor of the agent.
@Suite struct DNSForwarderTests {
    /// A UDP socket on 127.0.0.1 that nobody reads: an upstream that never answers.
    static func silentUpstream() throws -> (descriptor: Int32, address: SocketAddress) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return (descriptor, try SocketAddress(ipAddress: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port))))
    }

    @Test func queriesBeyondTheCapFailAtOnceInsteadOfHoldingSockets() async throws {
        let upstream = try Self.silentUpstream()
        defer { close(upstream.descriptor) }
        let forwarder = DNSForwarder(group: MultiThreadedEventLoopGroup.singleton)
        let query = DNSMessage(id: 9, questions: [DNSQuestion(name: DNSName("www.example.com")!, type: .a)])
        let extra = 20
        let started = ContinuousClock.now
        let quickFailures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<(DNSForwarder.maximumInFlight + extra) {
                group.addTask {
                    // Each query's own time: on a loaded machine the tasks may start late.
                    let asked = ContinuousClock.now
                    let reply = await forwarder.resolve(query.encoded(), query: query, upstreams: [upstream.address], stream: false)
                    return ContinuousClock.now - asked < .seconds(1) && (try? DNSMessage(parsing: reply))?.rcode == .serverFailure
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(quickFailures == extra, "the queries over the cap fail at once; the others wait out the silent resolver")
        #expect(ContinuousClock.now - started >= DNSForwarder.timeout, "the admitted ones waited for an answer")
    }
}
