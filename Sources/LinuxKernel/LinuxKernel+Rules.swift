public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// The IPv4 rules that send what arrives on one interface to a table. Equivalent to
    /// `ip rule show`, keeping `iif NAME lookup TABLE`.
    public func rules(in namespace: String?) async throws -> [RoutingRule] {
        let socket = try socket(for: namespace)
        let cache = try Cache.dump("ip rule show") { rtnl_rule_alloc_cache(socket.pointer, AF_INET, $0) }
        return cache.withObjects { rules in
            rules.compactMap { rule in
                guard rtnl_rule_get_action(rule) == UInt8(FR_ACT_TO_TBL),
                      let device = rtnl_rule_get_iif(rule).map({ String(cString: $0) }), !device.isEmpty
                else { return nil }
                return RoutingRule(device: device, table: Int(rtnl_rule_get_table(rule)), priority: Int(rtnl_rule_get_prio(rule)))
            }
        }
    }

    /// Equivalent to `ip rule add priority P iif NAME lookup TABLE`.
    public func addRule(_ rule: RoutingRule, in namespace: String?) async throws {
        let operation = KernelOperation.addRule(rule, namespace: nil).description
        let socket = try socket(for: namespace)
        let object = try ruleObject(rule, operation: operation)
        try Netlink.call(operation) { rtnl_rule_add(socket.pointer, object.pointer, NLM_F_CREATE | NLM_F_EXCL) }
    }

    /// Equivalent to `ip rule del priority P iif NAME lookup TABLE`.
    public func deleteRule(_ rule: RoutingRule, in namespace: String?) async throws {
        let operation = KernelOperation.deleteRule(rule, namespace: nil).description
        let socket = try socket(for: namespace)
        let object = try ruleObject(rule, operation: operation)
        try Netlink.call(operation) { rtnl_rule_delete(socket.pointer, object.pointer, 0) }
    }

    private func ruleObject(_ rule: RoutingRule, operation: String) throws -> RuleObject {
        let object = try RuleObject.make()
        rtnl_rule_set_family(object.pointer, AF_INET)
        rtnl_rule_set_prio(object.pointer, UInt32(rule.priority))
        rtnl_rule_set_table(object.pointer, UInt32(rule.table))
        rtnl_rule_set_action(object.pointer, UInt8(FR_ACT_TO_TBL))
        try Netlink.call(operation) { rtnl_rule_set_iif(object.pointer, rule.device) }
        return object
    }

    /// The bridge ports among `ports` with hairpin mode on, from one dump of the bridge ports
    /// (`RTM_GETLINK` for `AF_BRIDGE`, whose `IFLA_PROTINFO` carries `IFLA_BRPORT_MODE`).
    public func hairpinPorts(among ports: [String], in namespace: String?) async throws -> Set<String> {
        let socket = try socket(for: namespace)
        let wanted = Set(ports)
        let cache = try Cache.dump("bridge -d link show") { rtnl_link_alloc_cache(socket.pointer, AF_BRIDGE, $0) }
        return cache.withObjects { links in
            Set(links.compactMap { link -> String? in
                guard let name = rtnl_link_get_name(link).map({ String(cString: $0) }), wanted.contains(name),
                      rtnl_link_bridge_get_flags(link) & Int32(RTNL_BRIDGE_HAIRPIN_MODE.rawValue) != 0 else { return nil }
                return name
            })
        }
    }

    /// `RTM_SETLINK` for `AF_BRIDGE` with `IFLA_PROTINFO { IFLA_BRPORT_MODE }`, which the bridge
    /// takes as a port setting. Equivalent to `bridge link set dev NAME hairpin on|off`.
    func setHairpin(index: Int32, _ on: Bool, socket: NetlinkSocket, operation: String) throws {
        let message = try Netlink.allocate(operation, { nlmsg_alloc_simple(Int32(RTM_SETLINK), 0) })
        var header = ifinfomsg()
        header.ifi_family = UInt8(AF_BRIDGE)
        header.ifi_index = index
        do {
            try Netlink.call(operation) { nlmsg_append(message, &header, MemoryLayout<ifinfomsg>.size, Int32(NLMSG_ALIGNTO)) }
            guard let nest = nla_nest_start(message, Int32(IFLA_PROTINFO) | Int32(NLA_F_NESTED)) else {
                throw Netlink.invalid(operation, "no room for IFLA_PROTINFO")
            }
            try Netlink.call(operation) { nla_put_u8(message, Int32(IFLA_BRPORT_MODE), on ? 1 : 0) }
            try Netlink.call(operation) { nla_nest_end(message, nest) }
        } catch {
            nlmsg_free(message)
            throw error
        }
        try Netlink.call(operation) { nl_send_sync(socket.pointer, message) }  // frees the message
    }
}
