import DNS
import Kernel
import Logging
import NIOCore
import NIOPosix
import Southbound
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Serves each router's DNS zone to the workloads of its switches: a UDP and a TCP server on port
/// 53 inside the router's namespace, so a workload asks its gateway address (its default
/// router, on every switch with a router). A router serves its tenant's zone only, so a workload
/// can resolve no other tenant's names. Servers start after the pass that built the router's
/// namespace and stop when the router leaves the host; a state only replaces their zone.
public actor DNSServers {
    public static let port = 53
    /// Open TCP connections per router's server.
    static let maximumTCPConnections = 128
    private let kernel: any Kernel
    private let namespacePrefix: String
    private let group: any EventLoopGroup
    private let logger: Logger
    private var running: [String: (answerer: DNSAnswerer, channels: [any Channel])] = [:]

    public init(kernel: any Kernel, namespacePrefix: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger) {
        self.kernel = kernel
        self.namespacePrefix = namespacePrefix
        self.group = group
        self.logger = logger
    }

    /// Follows `state`: a server for each of its routers with a zone, none for the others.
    public func serve(_ state: HostState) async {
        let zones = (state.dns ?? [:]).filter { state.routers[$0.key] != nil }
        for (router, server) in running where zones[router] == nil {
            for channel in server.channels { try? await channel.close() }
            running[router] = nil
        }
        for (router, zoneState) in zones.sorted(by: { $0.key < $1.key }) {
            let zone = DNSZone(zoneState, services: state.services ?? [:])
            let upstreams = (zoneState.upstreams ?? []).compactMap { try? SocketAddress(ipAddress: $0, port: Self.port) }
            if let server = running[router] {
                server.answerer.replace(zone, upstreams: upstreams)
                continue
            }
            do {
                running[router] = try await start(router, zone: zone, upstreams: upstreams)
            } catch {
                // The next pass tries again.
                logger.warning("cannot serve DNS", metadata: ["router": "\(router)", "reason": "\(error)"])
            }
        }
    }

    /// Closes every server.
    public func stop() async {
        for server in running.values {
            for channel in server.channels { try? await channel.close() }
        }
        running = [:]
    }

    private func start(_ router: String, zone: DNSZone?, upstreams: [SocketAddress]) async throws -> (answerer: DNSAnswerer, channels: [any Channel]) {
        let sockets = try await kernel.listeningSockets(port: Self.port, in: namespacePrefix + router)
        let answerer = DNSAnswerer(zone, upstreams: upstreams, forwarder: DNSForwarder(group: group))
        let udp: any Channel
        do {
            udp = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(DNSDatagramHandler(answerer: answerer)) }
                }
                .withBoundSocket(sockets.udp).get()
        } catch {
            close(sockets.udp)
            close(sockets.tcp)
            throw error
        }
        let tcp: any Channel
        do {
            let open = OpenConnections()
            tcp = try await ServerBootstrap(group: group)
                .childChannelInitializer { channel in
                    // Each connection holds a descriptor until it idles out: past the cap, a new
                    // one is closed at once, so a workload cannot take all of the agent's.
                    guard open.count.wrappingAdd(1, ordering: .relaxed).newValue <= Self.maximumTCPConnections else {
                        open.count.wrappingSubtract(1, ordering: .relaxed)
                        return channel.close()
                    }
                    channel.closeFuture.whenComplete { _ in open.count.wrappingSubtract(1, ordering: .relaxed) }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            IdleStateHandler(readTimeout: .seconds(10)), ByteToMessageHandler(DNSStreamDecoder()),
                            DNSStreamHandler(answerer: answerer),
                        ])
                    }
                }
                .withBoundSocket(sockets.tcp).get()
        } catch {
            try? await udp.close()
            close(sockets.tcp)
            throw error
        }
        logger.info("serving DNS", metadata: ["router": "\(router)", "zone": "\(zone?.origin.description ?? "-")"])
        return (answerer, [udp, tcp])
    }
}

/// The open TCP connections of one server.
private final class OpenConnections: Sendable {
    let count = Atomic(0)
}
