public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// The IPv4 and IPv6 addresses of a device. Equivalent to `ip addr show dev NAME`.
    public func addresses(device: String, in namespace: String?) async throws -> [InterfaceAddress] {
        let socket = try socket(for: namespace)
        let operation = "ip addr show dev \(device)"
        let index = try linkIndex(named: device, socket: socket, for: operation)
        let cache = try Cache.dump(operation) { rtnl_addr_alloc_cache(socket.pointer, $0) }
        return cache.withObjects { addresses in
            addresses.compactMap { address in
                guard rtnl_addr_get_ifindex(address) == index, let local = rtnl_addr_get_local(address) else { return nil }
                return InterfaceAddress(address: NetlinkAddress.ipString(local),
                                        prefixLength: Int(rtnl_addr_get_prefixlen(address)), device: device)
            }
        }
    }

    /// Equivalent to `ip addr add ADDRESS/PREFIX dev NAME`.
    public func addAddress(_ address: InterfaceAddress, in namespace: String?) async throws {
        let operation = "ip addr add \(address.address)/\(address.prefixLength) dev \(address.device)"
        let socket = try socket(for: namespace)
        let object = try addressObject(address, socket: socket, operation: operation)
        try Netlink.call(operation) { rtnl_addr_add(socket.pointer, object.pointer, 0) }
    }

    /// Equivalent to `ip addr del ADDRESS/PREFIX dev NAME`.
    public func deleteAddress(_ address: InterfaceAddress, in namespace: String?) async throws {
        let operation = "ip addr del \(address.address)/\(address.prefixLength) dev \(address.device)"
        let socket = try socket(for: namespace)
        let object = try addressObject(address, socket: socket, operation: operation)
        try Netlink.call(operation) { rtnl_addr_delete(socket.pointer, object.pointer, 0) }
    }

    private func addressObject(_ address: InterfaceAddress, socket: NetlinkSocket, operation: String) throws -> AddressObject {
        let index = try linkIndex(named: address.device, socket: socket, for: operation)
        let local = try NetlinkAddress.ip("\(address.address)/\(address.prefixLength)", operation: operation)
        let object = try AddressObject.make()
        rtnl_addr_set_ifindex(object.pointer, index)
        try Netlink.call(operation) { local.withPointer { rtnl_addr_set_local(object.pointer, $0) } }
        return object
    }
}
