import Synchronization

/// The largest frame payload a decoder accepts now. A listener starts each connection at
/// ``Frames/maximumBeforeIdentification`` and raises it once the peer is identified.
public final class FrameLimit: Sendable {
    private let bytes: Atomic<Int>

    /// A limit of `bytes`.
    public init(_ bytes: Int) {
        self.bytes = Atomic(bytes)
    }

    /// The limit in force.
    public var current: Int { bytes.load(ordering: .acquiring) }

    /// Replaces the limit; frames whose length was read before keep the old one.
    public func set(_ newValue: Int) {
        bytes.store(newValue, ordering: .releasing)
    }
}
