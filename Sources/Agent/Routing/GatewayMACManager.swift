import Kernel
import Southbound

/// Keeps the anycast gateway MACs on the host. A routed frame leaves a router's leg with the
/// gateway MAC as its source; when the bridge sends it over VXLAN, an nftables rule in the bridge
/// family rewrites that source to a MAC of this host, so no other host ever learns a gateway MAC
/// on its VXLAN port. Frames to a gateway MAC never go out over VXLAN, and none come in from it
/// (every host answers for the gateway itself). One table, `bridge sy-gateway`, replaced whole:
///
/// ```
/// chain prerouting { type filter hook prerouting priority 0; policy accept;
///     iifname "syvx-*" ether saddr { 0e:… } drop }
/// chain forward { type filter hook forward priority 0; policy accept;
///     oifname "syvx-*" ether saddr 0e:… ether saddr set 0e:HOST…
///     oifname "syvx-*" ether daddr { 0e:… } drop }
/// ```
///
/// It runs before the ``RouterManager``, so a new leg's first frames already meet the rules.
public struct GatewayMACManager: ReconcileManager {
    public let concern = "gateway-macs"
    static let table = "sy-gateway"
    private let writer = WholeBridgeTable(name: Self.table)

    public init() {}

    public func resyncStarts() async { await writer.resyncStarts() }

    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        try await writer.plan(body: Self.body(desired), host: desired.host.id, in: kernel)
    }

    public static func plan(desired: HostState, observed: [NftablesTable]) -> Plan {
        WholeBridgeTable.plan(name: table, body: body(desired), host: desired.host.id, observed: observed)
    }

    /// The table body for the host's gateway MACs; nil when the host runs no router.
    static func body(_ desired: HostState) -> String? {
        let gateways = Set(desired.routers.values.flatMap { $0.interfaces.map { $0.mac.lowercased() } }).filter(MACText.isAddress).sorted()
        guard !gateways.isEmpty else { return nil }
        let own = routedMAC(host: desired.host.id)
        let vxlan = "\"\(DeviceName.vxlanPrefix)*\""
        let set = "{ \(gateways.joined(separator: ", ")) }"
        // Ingress in prerouting: the bridge learns a frame's source before its forward hook.
        return (["chain prerouting { type filter hook prerouting priority 0; policy accept;",
                 "  iifname \(vxlan) ether saddr \(set) drop", "}",
                 "chain forward { type filter hook forward priority 0; policy accept;"]
            + gateways.map { "  oifname \(vxlan) ether saddr \($0) ether saddr set \(own)" }
            + ["  oifname \(vxlan) ether daddr \(set) drop", "}"])
            .joined(separator: "\n")
    }

    /// The MAC routed frames from this host carry over VXLAN: locally administered, in the range port
    /// MACs never use, and derived from the host id.
    static func routedMAC(host: String) -> String {
        let hash = StableHash.fnv1a("routed", host)
        let octets = [UInt64(0x0e)] + (0..<5).map { hash >> (8 * UInt64(4 - $0)) & 0xff }
        return octets.map { String(repeating: "0", count: $0 < 16 ? 1 : 0) + String($0, radix: 16) }.joined(separator: ":")
    }
}
