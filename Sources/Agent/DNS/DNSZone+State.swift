import DNS
import Southbound

extension DNSZone {
    /// The zone a router's state describes, its headless services answering with the endpoints
    /// `services` (the host's, without those out of health) give them; names or addresses that do
    /// not parse are left out.
    init?(_ state: DNSZoneState, services: [String: ServiceState]) {
        guard let provider = DNSName(state.provider), let origin = DNSName(state.zone) else { return nil }
        func absolute(_ relative: String) -> DNSName? { DNSName("\(relative).\(state.zone)") }
        var addresses: [DNSName: [UInt32]] = [:]
        for (relative, list) in state.addresses {
            guard let name = absolute(relative) else { continue }
            addresses[name] = list.compactMap(Self.ipv4)
        }
        for (relative, service) in state.headless ?? [:] {
            guard let name = absolute(relative) else { continue }
            addresses[name] = (services[service]?.endpoints ?? []).compactMap { Self.ipv4($0.ip) }
        }
        var services: [DNSName: [DNSRecordData]] = [:]
        for (relative, targets) in state.services {
            guard let name = absolute(relative) else { continue }
            services[name] = targets.compactMap { target in
                absolute(target.target).map { .srv(priority: 0, weight: 100, port: UInt16(clamping: target.port), target: $0) }
            }
        }
        self.init(provider: provider, origin: origin, addresses: addresses, services: services)
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".")
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
