import Northbound
import Southbound

/// The services a host load-balances: those of the routers it runs, each with the endpoints its
/// selector picks among the ports of the router's switches. Every client host of a router gets
/// the same value for a service, so it is built once per compile run.
struct ServiceNode {
    let state: DesiredState
    let index: TopologyIndex
    let cache: RunMemo<ServiceState>

    /// The services of `routers`, by id; nil when there are none.
    func services(of routers: Set<String>) -> [String: ServiceState]? {
        var result: [String: ServiceState] = [:]
        for router in routers {
            for id in index.servicesByRouter[router] ?? [] {
                guard let service = state.services[id] else { continue }
                result[id] = cache.value(for: service.id) { serviceState(service) }
            }
        }
        return result.isEmpty ? nil : result
    }

    func serviceState(_ service: Service) -> ServiceState {
        let switches = (index.interfacesByRouter[service.router] ?? []).compactMap { state.interfaces[$0]?.switch }
        let candidates = switches.flatMap { (index.portsBySwitch[$0] ?? []).compactMap { state.ports[$0] } }
        return ServiceState(
            vip: service.vip, router: service.router,
            ports: service.ports.map { ServicePortState(protocol: $0.protocol.rawValue, port: $0.port, targetPort: $0.targetPort ?? $0.port) },
            algorithm: Southbound.ServiceAlgorithm(rawValue: service.algorithm.rawValue) ?? .random,
            endpoints: service.endpoints(among: candidates).map {
                ServiceEndpointState(port: $0.id, ip: $0.ip, mac: $0.mac, switch: $0.switch)
            },
            healthCheck: service.healthCheck.map { check in
                HealthCheckState(type: check.type.rawValue, port: check.port ?? service.ports.first.map { $0.targetPort ?? $0.port } ?? 0,
                                 path: check.type == .http ? check.path ?? "/" : nil, expectStatus: check.expectStatus, command: check.command,
                                 interval: check.interval ?? HealthCheck.defaultInterval, timeout: check.timeout ?? HealthCheck.defaultTimeout,
                                 rise: check.rise ?? HealthCheck.defaultRise, fall: check.fall ?? HealthCheck.defaultFall)
            },
            externalIp: service.externalIp)
    }
}
