/// Why a `FakeKernel` refused an operation: an injected failure, or what the Linux kernel would
/// refuse too (the errno it would answer is named on each case).
public enum FakeKernelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The test asked for this operation to fail.
    case injected(KernelOperation)
    /// `EEXIST`: a link by this name is already there.
    case linkExists(String)
    /// `ENODEV`: no link by this name in the namespace.
    case noSuchLink(String)
    /// `EINVAL`: a name longer than IFNAMSIZ − 1 (15) characters, or empty.
    case invalidName(String)
    /// `EINVAL`: a veth without a peer name.
    case missingPeer(String)
    /// `EINVAL`: the master named is not a bridge.
    case notABridge(String)
    /// `EEXIST`: another VXLAN device in the namespace has this VNI and UDP port.
    case vniInUse(vni: Int, port: Int)
    /// `EEXIST`: the FDB entry, address or neighbour is already there.
    case entryExists(String)
    /// `ENOENT`: the FDB entry, address, neighbour or route is not there.
    case noSuchEntry(String)
    /// `EINVAL`: an nftables table name or comment outside its validated characters (LinuxKernel
    /// refuses it before nft sees it).
    case invalidNftablesTable(NftablesTable)

    public var description: String {
        switch self {
        case let .injected(operation): "injected failure: \(operation)"
        case let .linkExists(name): "link \(name) exists"
        case let .noSuchLink(name): "no link \(name)"
        case let .invalidName(name): "invalid link name \"\(name)\""
        case let .missingPeer(name): "veth \(name) needs a peer name"
        case let .notABridge(name): "\(name) is not a bridge"
        case let .vniInUse(vni, port): "VNI \(vni) on port \(port) is in use"
        case let .entryExists(entry): "\(entry) exists"
        case let .noSuchEntry(entry): "no \(entry)"
        case let .invalidNftablesTable(table): "invalid nftables table \"\(table.name)\" comment \"\(table.comment)\""
        }
    }
}
