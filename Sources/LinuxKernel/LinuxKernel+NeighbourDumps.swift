internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// Up to this many devices are read with one kernel-filtered dump each; more, with one dump of
    /// the whole family filtered here (an edge host has hundreds of VXLAN devices).
    static let filteredDumpLimit = 4

    /// The neighbour entries of `family` on `devices`, each turned into a value by `transform`
    /// (given the entry and its device's name), each value once: a dump filtered by device can
    /// repeat an entry when the kernel resumes it across reads. A missing device is an error.
    func neighbourEntries<T: Hashable>(family: Int32, devices: [String], socket: NetlinkSocket, operation: String,
                                       _ transform: (OpaquePointer, String) -> T?) throws -> [T] {
        let names: [Int32: String]
        if devices.count <= Self.filteredDumpLimit {
            names = try Dictionary(devices.map { (try linkIndex(named: $0, socket: socket, for: operation), $0) },
                                   uniquingKeysWith: { first, _ in first })
        } else {
            let wanted = Set(devices)
            names = try linkNames(socket: socket).filter { wanted.contains($0.value) }
            if let missing = wanted.subtracting(names.values).sorted().first { throw Netlink.notFound("\(operation): link \(missing)") }
        }
        let caches = devices.count <= Self.filteredDumpLimit
            ? try names.keys.sorted().map { try Cache.neighbours(socket: socket, family: family, device: $0, operation: operation) }
            : [try Cache.neighbours(socket: socket, family: family, device: nil, operation: operation)]
        var seen: Set<T> = []
        return caches.flatMap { cache in
            cache.withObjects { entries in
                entries.compactMap { entry in
                    guard rtnl_neigh_get_family(entry) == family, let name = names[rtnl_neigh_get_ifindex(entry)] else { return nil }
                    return transform(entry, name)
                }
            }
        }.filter { seen.insert($0).inserted }
    }
}
