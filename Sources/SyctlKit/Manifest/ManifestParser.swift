import Foundation
import Northbound
import Yams

/// Reads a YAML manifest into objects and validates all of them before anything is sent.
///
/// A file holds one object per `---`-separated document, or a list of objects in a document, or both.
/// Each object is a flat mapping: `kind`, then the kind's fields (see `schemas/manifest.md`).
public enum ManifestParser {
    /// Reads and parses the manifest at `path`; `-` reads standard input.
    public static func parse(file path: String) throws -> [ManifestEntry] {
        let data: Data
        do {
            data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SyctlError.invalidArgument("cannot read the manifest \(path): \(error.localizedDescription)")
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw SyctlError.invalidArgument("the manifest \(path) is not UTF-8 text")
        }
        return try parse(yaml)
    }

    public static func parse(_ yaml: String) throws -> [ManifestEntry] {
        let documents: [Node]
        do {
            documents = Array(try Yams.compose_all(yaml: yaml))
        } catch {
            throw ManifestError(location: nil, field: nil, "not valid YAML: \(error)")
        }
        var entries: [ManifestEntry] = []
        for (index, document) in documents.enumerated() {
            if let items = document.sequence {
                for (item, node) in items.enumerated() {
                    let location = ManifestLocation(document: index + 1, item: item + 1, line: node.mark?.line)
                    entries.append(ManifestEntry(object: try object(node, location: location), location: location))
                }
            } else if document.scalar.map({ $0.style == .plain && document.null != nil }) != true {
                let location = ManifestLocation(document: index + 1, line: document.mark?.line)
                entries.append(ManifestEntry(object: try object(document, location: location), location: location))
            }
        }
        guard !entries.isEmpty else { throw ManifestError(location: nil, field: nil, "the file holds no objects") }
        return entries
    }

    static func object(_ node: Node, location: ManifestLocation) throws -> ManifestObject {
        let fields = try ManifestFields(node, location: location)
        if fields.has("apiVersion") {
            let kindName = try fields.requiredString("kind")
            guard kindName == OperatorPolicyFormat.kind else {
                throw fields.error("kind", "with apiVersion, the kind is \(OperatorPolicyFormat.kind) (the operators' policy format)")
            }
            return try OperatorPolicyFormat.policy(fields)
        }
        let kindName = try fields.requiredString("kind")
        guard let kind = ResourceKind(manifestKind: kindName) else {
            throw fields.error("kind", "unknown kind '\(kindName)'; kinds are "
                + ResourceKind.allCases.map(\.manifestKind).joined(separator: ", "))
        }
        try fields.requireOnly(["kind"] + allowedFields(kind), in: kindName)
        return switch kind {
        case .tenant: try tenant(fields)
        case .project: try project(fields)
        case .logicalSwitch: try logicalSwitch(fields)
        case .port: try port(fields)
        case .router: try router(fields)
        case .externalNetwork: try externalNetwork(fields)
        case .floatingIP: try floatingIP(fields)
        case .host: try host(fields)
        case .cluster: try cluster(fields)
        case .policy: try policy(fields)
        case .service: try service(fields)
        }
    }

    /// The fields each kind accepts besides `kind`.
    public static func allowedFields(_ kind: ResourceKind) -> [String] {
        switch kind {
        case .tenant: ["name", "quotas", "labels"]
        case .project: ["name", "tenant", "labels"]
        case .logicalSwitch: ["name", "tenant", "project", "cidr", "gateway", "cidr6", "gateway6", "mtu", "labels"]
        case .port: ["name", "tenant", "switch", "ip", "ip6", "mac", "host", "cluster", "labels"]
        case .router: ["name", "tenant", "project", "externalNetwork", "snat", "labels", "interfaces", "routes"]
        case .externalNetwork: ["name", "cidr", "gateway", "poolStart", "poolEnd", "dnsServers", "labels"]
        case .floatingIP: ["address", "tenant", "externalNetwork", "port", "switch", "labels"]
        case .host: ["name", "address", "role", "labels"]
        case .cluster: ["name", "tenant", "project", "clusterKind", "hosts", "labels"]
        case .policy: ["name", "tenant", "project", "tier", "priority", "appliesTo", "ingress", "egress", "labels"]
        case .service: ["name", "tenant", "project", "router", "vip", "type", "externalIp", "ports", "selector", "algorithm", "healthCheck", "labels"]
        }
    }
}
