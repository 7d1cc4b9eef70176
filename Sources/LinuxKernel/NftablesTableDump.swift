public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

/// Lists the tables of the calling thread's network namespace with their comments, straight from
/// nf_tables over netlink (`NFT_MSG_GETTABLE`, a dump): one request, no rules, no set elements.
/// libnftables' `list table` fetches every set element of the table, which costs about a second
/// with 50,000 of them, on every pass that reads the tables.
enum NftablesTableDump {
    private static let subsystemTables: UInt16 = 10 << 8  // NFNL_SUBSYS_NFTABLES << 8
    private static let getTable: UInt16 = 1  // NFT_MSG_GETTABLE
    private static let newTable: UInt16 = 0  // NFT_MSG_NEWTABLE, the type of each dumped table
    private static let attributeName: UInt16 = 1  // NFTA_TABLE_NAME
    private static let attributeUserData: UInt16 = 6  // NFTA_TABLE_USERDATA
    private static let commentType: UInt8 = 0  // NFTNL_UDATA_TABLE_COMMENT
    private static let families: [UInt8: NftablesFamily] = [1: .inet, 2: .ip, 5: .netdev, 7: .bridge, 10: .ip6]

    static func tables(operation: String) throws -> [NftablesTable] {
        let descriptor = socket(AF_NETLINK, cnl_sock_raw_cloexec, 12 /* NETLINK_NETFILTER */)
        guard descriptor >= 0 else { throw failure(operation, "socket: errno \(errno)") }
        defer { close(descriptor) }
        // nlmsghdr (16 bytes) then nfgenmsg (family AF_UNSPEC, version 0, resource id 0).
        var request = [UInt8](repeating: 0, count: 20)
        put(UInt32(20), at: 0, in: &request)
        put(subsystemTables | getTable, at: 4, in: &request)
        put(UInt16(0x001 | 0x300), at: 6, in: &request)  // NLM_F_REQUEST | NLM_F_DUMP
        put(UInt32(1), at: 8, in: &request)
        guard request.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, 0) }) == 20 else {
            throw failure(operation, "send: errno \(errno)")
        }
        var tables: [NftablesTable] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw failure(operation, "recv: errno \(errno)") }
            switch try parse(buffer[0..<count], into: &tables, operation: operation) {
            case .more: continue
            case .done: return tables
            }
        }
    }

    enum Progress { case more, done }

    /// Parses one datagram of the dump: tables are appended; `done` at `NLMSG_DONE`.
    static func parse(_ bytes: ArraySlice<UInt8>, into tables: inout [NftablesTable], operation: String) throws -> Progress {
        var offset = bytes.startIndex
        while offset + 16 <= bytes.endIndex {
            let length = Int(read32(bytes, offset)), type = read16(bytes, offset + 4)
            guard length >= 16, offset + length <= bytes.endIndex else { throw failure(operation, "truncated message") }
            switch type {
            case 3:  // NLMSG_DONE
                return .done
            case 2:  // NLMSG_ERROR: a negative errno, then the request
                let code = Int32(bitPattern: read32(bytes, offset + 16))
                if code != 0 { throw failure(operation, "nf_tables answered errno \(-code)") }
            case subsystemTables | newTable where length >= 20:
                if let family = families[bytes[offset + 16]], let table = table(bytes[(offset + 20)..<(offset + length)], family) {
                    tables.append(table)
                }
            default:
                break
            }
            offset += (length + 3) & ~3
        }
        return .more
    }

    /// The table the attributes describe, if its name is valid; the comment from its user data.
    private static func table(_ attributes: ArraySlice<UInt8>, _ family: NftablesFamily) -> NftablesTable? {
        var name: String?, comment = ""
        var offset = attributes.startIndex
        while offset + 4 <= attributes.endIndex {
            let length = Int(read16(attributes, offset)), type = read16(attributes, offset + 2) & 0x3FFF
            guard length >= 4, offset + length <= attributes.endIndex else { break }
            let value = attributes[(offset + 4)..<(offset + length)]
            if type == attributeName { name = string(value) }
            if type == attributeUserData { comment = userComment(value) ?? "" }
            offset += (length + 3) & ~3
        }
        guard let name, NftablesTable.isValidName(name) else { return nil }
        return NftablesTable(family: family, name: name, comment: comment)
    }

    /// The comment among libnftnl's user-data entries (type byte, length byte, value).
    private static func userComment(_ data: ArraySlice<UInt8>) -> String? {
        var offset = data.startIndex
        while offset + 2 <= data.endIndex {
            let type = data[offset], length = Int(data[offset + 1])
            guard offset + 2 + length <= data.endIndex else { return nil }
            if type == commentType { return string(data[(offset + 2)..<(offset + 2 + length)]) }
            offset += 2 + length
        }
        return nil
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func read16(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func read32(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
        UInt32(read16(bytes, at)) | UInt32(read16(bytes, at + 2)) << 16
    }

    private static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { for (index, byte) in $0.enumerated() { bytes[offset + index] = byte } }
    }

    private static func failure(_ operation: String, _ message: String) -> KernelError {
        KernelError(operation: operation, code: -1, message: message)
    }
}
