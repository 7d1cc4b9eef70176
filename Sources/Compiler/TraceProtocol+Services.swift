import Northbound

extension TraceProtocol {
    /// Whether a packet of this protocol to `port` (nil: any port) is for a service port offering
    /// `offeredProtocol` on `offeredPort`: what a host's load-balancing table translates.
    func reaches(_ offeredProtocol: String, _ offeredPort: Int, at port: Int?) -> Bool {
        (self == .any || rawValue == offeredProtocol) && (port == nil || port == offeredPort)
    }
}
