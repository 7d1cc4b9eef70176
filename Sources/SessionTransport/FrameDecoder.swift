import NIOCore

/// Splits a byte stream into frames: a 4-byte big-endian payload length, then the payload.
///
/// A length above the limit in force fails the channel with ``SessionError/frameTooLarge(size:maximum:)``
/// as soon as the length is read, before any payload is buffered.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = ByteBuffer

    /// The largest payload accepted; it may change while the connection lives.
    public let limit: FrameLimit

    /// A decoder that refuses payloads longer than `limit` says.
    public init(limit: FrameLimit) {
        self.limit = limit
    }

    /// A decoder that refuses payloads longer than `maximumFrameSize` bytes.
    public init(maximumFrameSize: Int) {
        self.init(limit: FrameLimit(maximumFrameSize))
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        let maximum = limit.current
        guard length <= maximum else {
            throw SessionError.frameTooLarge(size: Int(length), maximum: maximum)
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let frame = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
