import NIOCore

/// Answers each datagram with one datagram, to where it came from; forwarded names are answered
/// when the tenant's resolver replies, without holding up the datagrams behind them.
final class DNSDatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let answerer: DNSAnswerer

    init(answerer: DNSAnswerer) {
        self.answerer = answerer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        switch answerer.answer(Array(envelope.data.readableBytesView), maximumSize: nil) {
        case nil:
            return
        case .reply(let answer):
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: answer))),
                                  promise: nil)
        case .forward(let bytes, let query, let upstreams, let limit):
            let channel = context.channel
            let client = envelope.remoteAddress
            Task { [answerer] in
                let reply = await answerer.forwarder.resolve(bytes, query: query, upstreams: upstreams, stream: false)
                let envelope = AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: DNSAnswerer.fitted(reply, query: query, limit: limit)))
                channel.writeAndFlush(envelope, promise: nil)
            }
        }
    }
}

/// DNS over TCP (RFC 7766): each message after its two-byte length.
struct DNSStreamDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self), buffer.readableBytes >= 2 + Int(length) else {
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: 2)
        guard let message = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }
}

/// Answers each message of a TCP connection, length first; a connection quiet for longer than
/// its idle time is closed, so idle clients cannot hold sockets.
final class DNSStreamHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let answerer: DNSAnswerer

    init(answerer: DNSAnswerer) {
        self.answerer = answerer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        switch answerer.answer(Array(message.readableBytesView), maximumSize: 65_535) {
        case nil:
            context.close(promise: nil)
        case .reply(let answer):
            context.writeAndFlush(wrapOutboundOut(Self.framed(answer)), promise: nil)
        case .forward(let bytes, let query, let upstreams, _):
            let channel = context.channel
            Task { [answerer] in
                let reply = await answerer.forwarder.resolve(bytes, query: query, upstreams: upstreams, stream: true)
                channel.writeAndFlush(Self.framed(reply), promise: nil)
            }
        }
    }

    static func framed(_ answer: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(answer.count + 2)
        buffer.writeInteger(UInt16(answer.count))
        buffer.writeBytes(answer)
        return buffer
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }
}
