import Northbound

extension Port {
    /// Whether `other` (the same port, changed) puts the same things in switch states: its switch,
    /// its host (where it is local, and the VTEP others reach it at) and its addresses. When it
    /// does, only its name, labels, project, cluster or owner changed, which switch states never hold.
    func placesLike(_ other: Port) -> Bool {
        self.switch == other.switch && host == other.host && mac == other.mac && ip == other.ip && ip6 == other.ip6
    }
}
