/// Where a host's routers live: the prefix of their namespaces, and the link their uplinks attach to.
public struct RouterOptions: Sendable {
    public var namespacePrefix: String
    /// nil: the link holding the host's underlay address.
    public var externalLink: String?

    public init(namespacePrefix: String = RoutingDomain.defaultNamespacePrefix, externalLink: String? = nil) {
        self.namespacePrefix = namespacePrefix
        self.externalLink = externalLink
    }
}
