import Northbound

/// A connection to a service's address is decided where the hosts send it: at each endpoint that
/// takes connections, by its own address and the service port's target port, since the policy
/// table sees the connection after the load-balancing table translated it.
extension PolicyEvaluator {
    /// The service and service port the hosts balance `address` to for `source`: a VIP (or the
    /// external address) of a service of a router on the source's switch, and the first of its
    /// ports `protocol` and `port` match (any, without them). Nil when the hosts balance nothing.
    func balancedService(at address: String, for source: Port, protocol packetProtocol: TraceProtocol,
                         port: Int?) -> (Service, ServicePort)? {
        let state = view.state
        let routers = Set((view.index.interfacesBySwitch[source.switch] ?? []).compactMap { state.interfaces[$0]?.router })
        for service in state.services.values.sorted(by: { $0.id < $1.id })
        where service.vip != nil && routers.contains(service.router) && [service.vip, service.externalIp].contains(address) {
            if let offered = service.ports.first(where: { packetProtocol.reaches($0.protocol.rawValue, $0.port, at: port) }) {
                return (service, offered)
            }
        }
        return nil
    }

    /// Allowed when every endpoint taking connections allows it (a client cannot choose which one
    /// it gets); otherwise the first endpoint, by address, that does not decides.
    func reachability(from source: Port, to service: Service, at address: String, _ servicePort: ServicePort,
                      protocol packetProtocol: TraceProtocol, port: Int?) -> Reachability {
        let state = view.state
        let switches = (view.index.interfacesByRouter[service.router] ?? []).compactMap { state.interfaces[$0]?.switch }
        let candidates = switches.flatMap { (view.index.portsBySwitch[$0] ?? []).compactMap { state.ports[$0] } }
        let out = unhealthy[service.id] ?? []
        let endpoints = service.endpoints(among: candidates).filter { !out.contains($0.id) }
        func answer(_ egress: PolicyDecision, _ ingress: PolicyDecision, saying prefix: String) -> Reachability {
            var egress = egress, ingress = ingress
            egress.reason = prefix + egress.reason
            ingress.reason = prefix + ingress.reason
            var result = Reachability(from: source.id, to: address, protocol: packetProtocol, port: port, revision: state.revision,
                                      egress: egress, ingress: ingress)
            result.service = service.id
            return result
        }
        guard !endpoints.isEmpty else {
            let dropped = PolicyDecision(verdict: .denied, reason: "no endpoint takes connections, so the host drops them")
            return answer(dropped, dropped, saying: "service '\(service.name)': ")
        }
        let proto = servicePort.protocol.rawValue, target = servicePort.targetPort ?? servicePort.port
        let decided = endpoints.map { endpoint in
            (endpoint: endpoint, egress: decision(.egress, of: source, peer: endpoint.ip, protocol: proto, port: target),
             ingress: decision(.ingress, of: endpoint, peer: source.ip, protocol: proto, port: target))
        }
        if let refused = decided.first(where: { $0.egress.verdict == .denied || $0.ingress.verdict == .denied }) {
            return answer(refused.egress, refused.ingress, saying: "to endpoint \(refused.endpoint.ip):\(target) of service '\(service.name)': ")
        }
        return answer(decided[0].egress, decided[0].ingress,
                      saying: "to each of the \(endpoints.count) endpoints of service '\(service.name)' (port \(target)): ")
    }
}
