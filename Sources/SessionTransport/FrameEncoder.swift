import NIOCore

/// Prefixes each outbound buffer with its 4-byte big-endian length.
///
/// The payload is written as is, after a separate 4-byte header, so large frames are not copied.
/// A payload above `maximumFrameSize` fails its write with ``SessionError/frameTooLarge(size:maximum:)``.
public final class FrameEncoder: ChannelOutboundHandler, RemovableChannelHandler {
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// The largest payload sent.
    public let maximumFrameSize: Int

    /// An encoder that refuses payloads longer than `maximumFrameSize` bytes.
    public init(maximumFrameSize: Int) {
        self.maximumFrameSize = maximumFrameSize
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let payload = unwrapOutboundIn(data)
        guard payload.readableBytes <= maximumFrameSize else {
            promise?.fail(SessionError.frameTooLarge(size: payload.readableBytes, maximum: maximumFrameSize))
            return
        }
        var header = context.channel.allocator.buffer(capacity: 4)
        header.writeInteger(UInt32(payload.readableBytes))
        context.write(wrapOutboundOut(header), promise: nil)
        context.write(wrapOutboundOut(payload), promise: promise)
    }
}

@available(*, unavailable)
extension FrameEncoder: Sendable {}
