import Northbound
import Southbound

/// A port's policy group: all that policy selectors and expressions read of a target port (its
/// tenant, project, cluster and labels), so the ports of one group are selected by the same
/// policies and subject to the same rule lists. Named by content, like Cilium's identities.
enum PolicyGroup {
    static func name(of port: Port) -> String {
        // Key and value are separate parts: the hash separates parts unambiguously.
        let labels = port.labels.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        return StableHash.name("g", of: [port.tenant, port.project ?? "", port.cluster ?? ""] + labels)
    }
}
