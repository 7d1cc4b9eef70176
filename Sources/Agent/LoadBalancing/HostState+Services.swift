import Southbound

extension HostState {
    /// The services this host load-balances, by id: those with a VIP (a headless one has none:
    /// its clients pick an endpoint by name).
    var balancedServices: [String: ServiceState] {
        (services ?? [:]).filter { $0.value.vip != nil }
    }

    /// The external services of `router`, by id: what its edge instance balances when this host
    /// carries the router's uplink.
    func externalServices(of router: String) -> [String: ServiceState] {
        (services ?? [:]).filter { $0.value.router == router && $0.value.externalIp != nil }
    }
}
