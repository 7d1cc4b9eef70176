import DNS
import NIOCore
import NIOPosix
import Synchronization

/// Forwards the names a router's zone does not hold to its tenant's upstream resolvers (those of
/// the router's external network), from the agent's own network namespace — the host's, which
/// must reach them — and keeps their answers in a cache of its own, so one tenant's answers are
/// never served to another.
///
/// Each query goes out from a fresh socket on a random port with a random id, and only a reply
/// from the resolver asked, with that id, is taken: the two together are what keep an off-path
/// attacker from slipping an answer in. Resolvers are asked in order, each for up to two seconds;
/// a truncated UDP reply is asked again over TCP. When none answers, the client gets SERVFAIL.
///
/// At most ``maximumInFlight`` queries are out at once per router: each holds a socket for up to
/// the timeout, so a workload asking for endless new names could otherwise take every file
/// descriptor of the agent. Beyond that, queries get SERVFAIL at once.
final class DNSForwarder: Sendable {
    private let group: any EventLoopGroup
    private let cache = Mutex(DNSCache())
    private let inFlight = Mutex(0)
    static let timeout: Duration = .seconds(2)
    static let maximumInFlight = 256

    struct Timeout: Error {}

    init(group: any EventLoopGroup) {
        self.group = group
    }

    /// The cached answer to `query`, when there is one.
    func cached(_ query: DNSMessage) -> [UInt8]? {
        let now = ContinuousClock.now
        return cache.withLock { $0.answer(to: query, at: now) }
    }

    /// The answer to `query` (its bytes as the client sent them) from the first of `upstreams`
    /// that gives one, with the client's id; over TCP when `stream` (the client asked over TCP).
    func resolve(_ bytes: [UInt8], query: DNSMessage, upstreams: [SocketAddress], stream: Bool) async -> [UInt8] {
        let admitted = inFlight.withLock { count in
            guard count < Self.maximumInFlight else { return false }
            count += 1
            return true
        }
        guard admitted else { return Self.failure(query) }
        defer { inFlight.withLock { $0 -= 1 } }
        for upstream in upstreams {
            let id = UInt16.random(in: 0...UInt16.max)
            let outgoing = DNSMessage.withID(id, bytes)
            var reply = try? await Self.exchange(outgoing, with: upstream, overTCP: stream, group: group)
            if !stream, let answer = reply, answer.count > 2, answer[2] & 0x02 != 0 {
                reply = try? await Self.exchange(outgoing, with: upstream, overTCP: true, group: group)
            }
            guard let reply, reply.count >= 12, reply[0] == UInt8(id >> 8), reply[1] == UInt8(id & 0xff) else { continue }
            let now = ContinuousClock.now
            cache.withLock { $0.store(reply, for: query, at: now) }
            return DNSMessage.withID(query.id, reply)
        }
        return Self.failure(query)
    }

    static func failure(_ query: DNSMessage) -> [UInt8] {
        DNSMessage(id: query.id, isResponse: true, recursionDesired: query.recursionDesired, recursionAvailable: true,
                   rcode: .serverFailure, questions: query.questions).encoded()
    }

    /// One query and its reply, within ``timeout``.
    static func exchange(_ query: [UInt8], with upstream: SocketAddress, overTCP: Bool, group: any EventLoopGroup) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8].self) { tasks in
            tasks.addTask { overTCP ? try await exchangeTCP(query, with: upstream, group: group) : try await exchangeUDP(query, with: upstream, group: group) }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                throw Timeout()
            }
            defer { tasks.cancelAll() }
            guard let reply = try await tasks.next() else { throw ChannelError.ioOnClosedChannel }
            return reply
        }
    }

    private static func exchangeUDP(_ query: [UInt8], with upstream: SocketAddress, group: any EventLoopGroup) async throws -> [UInt8] {
        let channel = try await DatagramBootstrap(group: group).bind(host: upstream.protocol == .inet6 ? "::" : "0.0.0.0", port: 0) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
            }
        }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: upstream, data: ByteBuffer(bytes: query)))
            for try await envelope in inbound where envelope.remoteAddress == upstream {
                let reply = Array(envelope.data.readableBytesView)
                if reply.count >= 12, reply[0] == query[0], reply[1] == query[1] { return reply }
            }
            throw ChannelError.eof
        }
    }

    private static func exchangeTCP(_ query: [UInt8], with upstream: SocketAddress, group: any EventLoopGroup) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: group).connect(to: upstream) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSStreamDecoder()))
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        return try await channel.executeThenClose { inbound, outbound in
            var buffer = ByteBuffer()
            buffer.writeInteger(UInt16(query.count))
            buffer.writeBytes(query)
            try await outbound.write(buffer)
            for try await message in inbound {
                return Array(message.readableBytesView)
            }
            throw ChannelError.eof
        }
    }
}
