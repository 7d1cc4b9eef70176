import Northbound
import Southbound

public enum PolicyDirection: String, Sendable {
    case ingress, egress
}

/// What policies see of the desired state: each port's names (tenant, project, cluster, labels),
/// which policies select it, and the addresses its traffic carries as another port sees it. Within
/// a tenant that is the port's own address; between tenants traffic only crosses the external
/// network, so a port of another tenant appears as its floating IP, or (as a source) as its
/// router's SNAT address.
struct PolicyView {
    let state: DesiredState
    let index: TopologyIndex
    private var expressions: [String: PolicyExpression] = [:]
    /// Peers computed once per compile run for every target they apply to alike.
    private let cache = PeerCache()
    /// Policies by the first label their `appliesTo` requires (`key=value`), and those that require
    /// none: a port is checked only against policies that can select it.
    private var policiesByLabel: [String: [NetworkPolicy]] = [:]
    private var policiesWithoutLabels: [NetworkPolicy] = []

    init(state: DesiredState, index: TopologyIndex) {
        self.state = state
        self.index = index
        for policy in state.policies.values {
            if let first = policy.appliesTo.labels?.min(by: { $0.key < $1.key }) {
                policiesByLabel[TopologyIndex.labelKey(first.key, first.value), default: []].append(policy)
            } else {
                policiesWithoutLabels.append(policy)
            }
            for rule in (policy.ingress ?? []) + (policy.egress ?? []) {
                if let text = rule.expression, expressions[text] == nil {
                    expressions[text] = try? PolicyExpressionParser.parse(text)
                }
            }
        }
    }

    func attributes(of port: Port) -> EndpointAttributes {
        EndpointAttributes(tenant: state.tenants[port.tenant]?.name, project: port.project.flatMap { state.projects[$0]?.name },
                           cluster: port.cluster.flatMap { state.clusters[$0]?.name }, labels: port.labels)
    }

    /// Whether the selector picks the port; an absent tenant means `ownTenant` (nil: any tenant).
    func selects(_ selector: PolicySelector, _ port: Port, ownTenant: String?) -> Bool {
        // Names are looked up only for what the selector names: most select by labels alone.
        func matches(_ wanted: String?, _ actual: @autoclosure () -> String?) -> Bool { wanted == nil || wanted == "*" || wanted == actual() }
        if selector.tenant == nil, let ownTenant, ownTenant != port.tenant { return false }
        return (selector.labels ?? [:]).allSatisfy { port.labels[$0.key] == $0.value }
            && matches(selector.tenant, state.tenants[port.tenant]?.name)
            && matches(selector.project, port.project.flatMap { state.projects[$0]?.name })
            && matches(selector.cluster, port.cluster.flatMap { state.clusters[$0]?.name })
    }

    /// The policies that select `port` (as targets), admin tier in evaluation order.
    func policies(selecting port: Port) -> (admin: [NetworkPolicy], tenant: [NetworkPolicy]) {
        var admin: [NetworkPolicy] = [], tenant: [NetworkPolicy] = []
        let candidates = policiesWithoutLabels + port.labels.flatMap { policiesByLabel[TopologyIndex.labelKey($0.key, $0.value)] ?? [] }
        for policy in candidates where self.policy(policy, selects: port) {
            switch policy.tier {
            case .admin: admin.append(policy)
            case .tenant: tenant.append(policy)
            }
        }
        admin.sort { ($0.priority, $0.id) < ($1.priority, $1.id) }
        tenant.sort { $0.id < $1.id }
        return (admin, tenant)
    }

    /// The hosts of the ports `policy` selects as targets.
    func hosts(selectedBy policy: NetworkPolicy) -> Set<String> {
        var hosts: Set<String> = []
        func consider(_ port: Port) {
            if let host = port.host, !hosts.contains(host), self.policy(policy, selects: port) { hosts.insert(host) }
        }
        if let first = policy.appliesTo.labels?.min(by: { $0.key < $1.key }) {
            ports(labelled: first).forEach(consider)
        } else {
            // One port of each policy group on each host stands for the group.
            for host in index.policyGroupsByHost.keys where representatives(on: host).values.contains(where: { self.policy(policy, selects: $0) }) {
                hosts.insert(host)
            }
        }
        return hosts
    }

    /// The ports carrying `label`.
    private func ports(labelled label: (key: String, value: String)) -> [Port] {
        (index.portsByLabel[TopologyIndex.labelKey(label.key, label.value)] ?? []).compactMap { state.ports[$0] }
    }

    /// One local port of each policy group on the host, by group: any one stands for all. Worked
    /// out once per host per compile run: a policy change asks first which hosts it selects, then
    /// updates each of them.
    func representatives(on hostID: String) -> [String: Port] {
        if let known = cache.representatives[hostID] { return known }
        let found: [String: Port] = (index.policyGroupsByHost[hostID] ?? [:]).reduce(into: [:]) { result, entry in
            // Ports whose switch is gone are not realized: they are not the group's.
            for id in entry.value {
                guard let port = state.ports[id], state.switches[port.switch] != nil else { continue }
                result[entry.key] = port
                break
            }
        }
        cache.representatives[hostID] = found
        return found
    }

    /// Whether `policy` selects `port`, or one of its rules has a peer that may cover it (a
    /// selector that picks it, or an expression over every port); a superset is harmless.
    func policy(_ policy: NetworkPolicy, mayConcern port: Port) -> Bool {
        self.policy(policy, selects: port) || self.policy(policy, mayHaveAsPeer: port)
    }

    /// Whether one of `policy`'s rules has a peer that may cover `port` (a selector that picks
    /// it, or an expression over every port): then the port's changes reach every host that holds
    /// the policy's lists, not only the port's own; a superset is harmless.
    func policy(_ policy: NetworkPolicy, mayHaveAsPeer port: Port) -> Bool {
        let ownTenant = policy.tier == .tenant ? policy.tenant : nil
        let sides = (policy.ingress ?? []).map { ($0, $0.from) } + (policy.egress ?? []).map { ($0, $0.to) }
        return sides.contains { rule, declared in
            guard let declared else { return rule.expression != nil }
            return declared.contains { $0.cidr == nil && selects($0.selector, port, ownTenant: ownTenant) }
        }
    }

    /// Whether `policy` selects `port` as a target: admin policies any tenant's, tenant policies
    /// their own tenant's (their project's, when they belong to one).
    func policy(_ policy: NetworkPolicy, selects port: Port) -> Bool {
        switch policy.tier {
        case .admin:
            return selects(policy.appliesTo, port, ownTenant: nil)
        case .tenant:
            return policy.tenant == port.tenant && (policy.project == nil || policy.project == port.project)
                && selects(policy.appliesTo, port, ownTenant: port.tenant)
        }
    }

    /// The addresses of `port` that a port of `viewer` tenant sees: as the source of its traffic
    /// (`asSource`), or as a destination it sends to.
    func addresses(of port: Port, seenBy viewer: String, asSource: Bool) -> [String] {
        if port.tenant == viewer { return [port.ip] + (port.ip6.map { [$0] } ?? []) }
        if let floating = index.floatingIPByPort[port.id].flatMap({ state.floatingIPs[$0] }) { return [floating.address] }
        guard asSource else { return [] }
        let routers = (index.interfacesBySwitch[port.switch] ?? []).compactMap { state.interfaces[$0].flatMap { state.routers[$0.router] } }
        return Set(routers.filter { $0.snat && $0.externalNetwork != nil }.compactMap(\.uplinkIp)).sorted()
    }

    /// The addresses a rule's peers cover, for a rule of `policy` in `direction` that `target`
    /// is subject to; nil: any address. A selector peer covers the addresses of the ports it
    /// selects (and the expression admits), as the target sees them; a CIDR peer its prefix, when
    /// the expression admits an endpoint with no names.
    func peers(of rule: PolicyRule, in policy: NetworkPolicy, direction: PolicyDirection, target: Port) -> AddressSet? {
        let expression = rule.expression.flatMap { expressions[$0] }
        let targetNames = attributes(of: target)
        // Peers depend on the target only through its tenant (which addresses it sees) and, when
        // the expression reads the target's side, its names.
        let readsTarget = expression?.reads(direction == .ingress ? .destination : .source) ?? false
        let key = PeerCache.Key(rule: rule, policy: policy.id, direction: direction, tenant: target.tenant,
                                target: readsTarget ? targetNames : nil)
        if let cached = cache.entries[key] { return cached }
        let computed = computePeers(rule, policy, direction, target, expression, targetNames)
        cache.entries[key] = computed
        return computed
    }

    /// A policy's rule list for `direction` as `target` is subject to it (``CompiledList``),
    /// computed once per compile run for every target alike: lists depend on the target only as
    /// their peers do.
    func ruleList(of policy: NetworkPolicy, _ direction: PolicyDirection, target: Port) -> CompiledList? {
        let side: PolicyAttribute.Side = direction == .ingress ? .destination : .source
        let rules = (direction == .ingress ? policy.ingress : policy.egress) ?? []
        let readsTarget = rules.contains { rule in rule.expression.flatMap { expressions[$0] }?.reads(side) ?? false }
        let key = PeerCache.ListKey(policy: policy.id, direction: direction, tenant: target.tenant,
                                    target: readsTarget ? attributes(of: target) : nil)
        if let cached = cache.lists[key] { return cached }
        let computed = CompiledList(policy, direction, target: target, view: self)
        cache.lists[key] = computed
        return computed
    }

    private func computePeers(_ rule: PolicyRule, _ policy: NetworkPolicy, _ direction: PolicyDirection, _ target: Port,
                              _ expression: PolicyExpression?, _ targetNames: EndpointAttributes) -> AddressSet? {
        func admits(_ peer: EndpointAttributes) -> Bool {
            guard let expression else { return true }
            return direction == .ingress ? expression.matches(source: peer, destination: targetNames)
                : expression.matches(source: targetNames, destination: peer)
        }
        let declared = direction == .ingress ? rule.from : rule.to
        if declared == nil, expression == nil { return nil }
        let peers = declared ?? [PolicyPeer(tenant: "*")]
        var v4: Set<String> = [], v6: Set<String> = []
        func add(_ address: String) {
            if address.contains(":") { v6.insert(address.lowercased()) } else { v4.insert(address) }
        }
        let ownTenant = policy.tier == .tenant ? policy.tenant : nil
        for peer in peers {
            if let cidr = peer.cidr {
                if admits(EndpointAttributes()) { add(cidr) }
                continue
            }
            let candidates = peer.labels?.min(by: { $0.key < $1.key }).map(ports(labelled:)) ?? Array(state.ports.values)
            for candidate in candidates where selects(peer.selector, candidate, ownTenant: ownTenant) {
                guard admits(attributes(of: candidate)) else { continue }
                addresses(of: candidate, seenBy: target.tenant, asSource: direction == .ingress).forEach(add)
            }
        }
        return AddressSet(ipv4: v4.sorted(), ipv6: v6.sorted())
    }
}

/// Peer sets, rule lists and each host's group representatives by what they depend on; lives for
/// one compile run (one ``PolicyView``).
final class PeerCache {
    struct Key: Hashable {
        let rule: PolicyRule
        let policy: String
        let direction: PolicyDirection
        let tenant: String
        let target: EndpointAttributes?
    }

    struct ListKey: Hashable {
        let policy: String
        let direction: PolicyDirection
        let tenant: String
        let target: EndpointAttributes?
    }

    var entries: [Key: AddressSet?] = [:]
    var lists: [ListKey: CompiledList?] = [:]
    var representatives: [String: [String: Port]] = [:]
}

extension PolicyPorts {
    var match: PortMatch { PortMatch(protocol: self.protocol.rawValue, from: port, to: port.map { endPort ?? $0 }) }
}

extension PortMatch {
    /// Whether a packet of `protocol` (tcp, udp, icmp) to `port` matches.
    func admits(protocol packetProtocol: String, port packetPort: Int?) -> Bool {
        if self.protocol == "any" { return true }
        guard self.protocol == packetProtocol else { return false }
        guard let from, let to else { return true }
        guard let packetPort else { return false }
        return (from...to).contains(packetPort)
    }
}
