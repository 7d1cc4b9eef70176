import NIOCore
import NIOEmbedded
import SessionTransport
import Testing

@Suite struct FrameCodecTests {
    private func decodingChannel(maximumFrameSize: Int = Frames.maximumFromAgent) throws -> EmbeddedChannel {
        EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameSize: maximumFrameSize)))
    }

    private func encoded(_ payloads: [String]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for payload in payloads {
            buffer.writeInteger(UInt32(payload.utf8.count))
            buffer.writeString(payload)
        }
        return buffer
    }

    private func readFrames(_ channel: EmbeddedChannel) throws -> [String] {
        var frames: [String] = []
        while let frame = try channel.readInbound(as: ByteBuffer.self) {
            frames.append(String(buffer: frame))
        }
        return frames
    }

    @Test func framesSplitAcrossReadsAreReassembled() throws {
        let channel = try decodingChannel()
        let bytes = encoded(["abc", "hello"]).readableBytesView
        var frames: [String] = []
        for (index, byte) in bytes.enumerated() {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            frames += try readFrames(channel)
            if index < 6 { #expect(frames.isEmpty) }
        }
        #expect(frames == ["abc", "hello"])
        #expect(try channel.finish().isClean)
    }

    @Test func framesMergedInOneReadAreSeparated() throws {
        let channel = try decodingChannel()
        try channel.writeInbound(encoded(["first", "", "third"]))
        #expect(try readFrames(channel) == ["first", "", "third"])
        #expect(try channel.finish().isClean)
    }

    @Test func oversizedFrameIsRefusedOnItsLength() throws {
        let channel = try decodingChannel(maximumFrameSize: 8)
        var header = ByteBuffer()
        header.writeInteger(UInt32(9))
        #expect(throws: SessionError.frameTooLarge(size: 9, maximum: 8)) {
            try channel.writeInbound(header)
        }
        _ = try? channel.finish()
    }

    @Test func frameOfExactlyTheMaximumIsAccepted() throws {
        let channel = try decodingChannel(maximumFrameSize: 8)
        try channel.writeInbound(encoded(["12345678"]))
        #expect(try readFrames(channel) == ["12345678"])
        #expect(try channel.finish().isClean)
    }

    @Test func encoderPrefixesTheLength() throws {
        let channel = EmbeddedChannel(handler: FrameEncoder(maximumFrameSize: Frames.maximumFromAgent))
        try channel.writeOutbound(ByteBuffer(string: "abc"))
        var written = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) {
            written.writeBuffer(&part)
        }
        #expect(written == encoded(["abc"]))
        #expect(try channel.finish().isClean)
    }

    @Test func encoderRefusesOversizedFrame() throws {
        let channel = EmbeddedChannel(handler: FrameEncoder(maximumFrameSize: 2))
        #expect(throws: SessionError.frameTooLarge(size: 3, maximum: 2)) {
            try channel.writeOutbound(ByteBuffer(string: "abc"))
        }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }
}
