import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind the TLS handler and reports the outcome of the handshake: the peer's verified
/// certificate (nil when it presented none), or why there is none.
///
/// The peer certificate exists only once the handshake is complete, which happens after the
/// channel is handed to async code; this handler bridges that gap with a future. A peer that
/// does not finish the handshake within `timeout` is disconnected.
final class HandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<NIOSSLCertificate?>
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var isResolved = false

    /// Completes with the peer certificate when the handshake succeeds.
    var peerCertificate: EventLoopFuture<NIOSSLCertificate?> { promise.futureResult }

    init(eventLoop: any EventLoop, timeout: TimeAmount) {
        self.promise = eventLoop.makePromise()
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context: context) }
    }

    /// Also reached when a connection attempt fails before the channel ever became active.
    func handlerRemoved(context: ChannelHandlerContext) {
        resolve(.failure(SessionError.closedDuringHandshake))
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimer(context: context)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            do {
                resolve(.success(try context.pipeline.syncOperations.nioSSL_peerCertificate()))
            } catch {
                resolve(.failure(error))
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        resolve(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        resolve(.failure(SessionError.closedDuringHandshake))
        context.fireChannelInactive()
    }

    private func startTimer(context: ChannelHandlerContext) {
        guard timer == nil, !isResolved else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (observer, context) = loopBound.value
            guard !observer.isResolved else { return }
            observer.resolve(.failure(SessionError.handshakeTimedOut))
            context.close(promise: nil)
        }
    }

    private func resolve(_ result: Result<NIOSSLCertificate?, any Error>) {
        guard !isResolved else { return }
        isResolved = true
        timer?.cancel()
        promise.completeWith(result)
    }
}

@available(*, unavailable)
extension HandshakeObserver: Sendable {}
