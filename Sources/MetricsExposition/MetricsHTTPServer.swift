import NIOCore
import NIOHTTP1
import NIOPosix

/// A plain HTTP listener that answers `GET /metrics` and nothing else: the agent's scrape target.
/// It reads no request body and keeps no state, and closes connections silent for 10 s, so a
/// scraper cannot make it hold anything. It listens for the rest of the process's life.
public enum MetricsHTTPServer {
    /// Listens on `host:port`, answering with what `exposition` holds at each request.
    public static func start(host: String, port: Int, exposition: PrometheusExposition) async throws {
        _ = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: .seconds(10)))
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(MetricsRequestHandler(exposition: exposition))
                }
            }
            .bind(host: host, port: port).get()
    }
}

private final class MetricsRequestHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let exposition: PrometheusExposition

    init(exposition: PrometheusExposition) {
        self.exposition = exposition
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let (status, type, body): (HTTPResponseStatus, String, [UInt8]) =
            switch (head.method, head.uri.split(separator: "?", maxSplits: 1).first ?? "") {
            case (.GET, "/metrics"): (.ok, PrometheusExposition.contentType, exposition.text())
            case (_, "/metrics"): (.methodNotAllowed, "text/plain", Array("only GET\n".utf8))
            default: (.notFound, "text/plain", Array("the metrics are at /metrics\n".utf8))
            }
        var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", String(body.count))])
        if status == .methodNotAllowed { headers.add(name: "Allow", value: "GET") }
        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let (keepAlive, channel) = (head.isKeepAlive, context.channel)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
