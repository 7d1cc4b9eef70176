import Southbound

extension HostState {
    /// The external services of `router`, by id: what its edge instance balances when this host
    /// carries the router's uplink.
    func externalServices(of router: String) -> [String: ServiceState] {
        (services ?? [:]).filter { $0.value.router == router && $0.value.externalIp != nil }
    }
}
