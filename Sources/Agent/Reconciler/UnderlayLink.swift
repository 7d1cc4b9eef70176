import Kernel

/// The link that carries the host's VTEP address, whose MTU bounds every overlay device: a VXLAN
/// packet is its payload plus 50 bytes of outer headers, so a switch runs at no more than the
/// underlay MTU − 50 and nothing is fragmented.
///
/// The link's name is remembered, so a pass reads only its addresses while it keeps the VTEP
/// address; it is looked up again (`ip addr show` of each link that is not the agent's) when the
/// link or its address goes, or the VTEP address changes.
actor UnderlayLink {
    /// Bytes VXLAN adds to each frame over IPv4: outer IPv4 (20), UDP (8), VXLAN (8), inner Ethernet (14).
    static let overhead = 50
    /// The MTU assumed for an underlay link that cannot be found.
    static let assumedMTU = 1500

    private var known: (address: String, device: String)?

    /// The link holding `address` in the agent's namespace; nil when no link holds it.
    func link(holding address: String, in kernel: any Kernel) async throws -> Link? {
        let links = try await kernel.links(in: nil)
        if let known, known.address == address, let link = links.first(where: { $0.name == known.device }),
           try await kernel.addresses(device: link.name, in: nil).contains(where: { $0.address == address }) {
            return link
        }
        for link in links where !DeviceName.isAgentDevice(link.name) {
            let addresses = try await kernel.addresses(device: link.name, in: nil)
            if addresses.contains(where: { $0.address == address }) {
                known = (address, link.name)
                return link
            }
        }
        return nil
    }
}
