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
}
