import API
import Foundation
import Northbound
import PKI
import Southbound

/// The API's window onto the southbound side: agent status, realization, enrollment, revocation.
public struct ControllerSouthbound: SouthboundControl {
    let hub: SouthboundHub
    let server: SouthboundServer
    let authority: CertificateAuthority
    /// The controller address agents are told to dial, as it appears in join strings.
    let advertisedHost: String
    let advertisedPort: Int

    public init(hub: SouthboundHub, server: SouthboundServer, authority: CertificateAuthority, advertisedHost: String, advertisedPort: Int) {
        self.hub = hub
        self.server = server
        self.authority = authority
        self.advertisedHost = advertisedHost
        self.advertisedPort = advertisedPort
    }

    public func status(ofHost id: String) async -> HostStatus {
        let status = await hub.status(of: id)
        return HostStatus(connected: status.connected, lastSeen: status.lastSeen.map { ISO8601DateFormatter().string(from: $0) },
                          ackedRevision: status.ackedRevision,
                          errors: status.errors.map { RealizationError(object: $0.object, message: $0.message) },
                          routingDomain: status.routingDomain)
    }

    public func realization(ofPort id: String, revision: Int64) async -> RealizationStatus {
        await realization(hosts: hub.hostsRealizing(port: id), revision: revision)
    }

    public func realization(ofRouter id: String, revision: Int64) async -> RealizationStatus {
        await realization(hosts: hub.hostsRealizing(router: id), revision: revision)
    }

    public func edgeHost(ofRouter id: String) async -> String? {
        await hub.edgeHost(ofRouter: id)
    }

    public func endpointHealth(ofService id: String) async -> [String: EndpointHealthView] {
        await hub.endpointHealth(ofService: id)
    }

    public func followHealth() async -> (checked: Set<String>, transitions: AsyncStream<Set<String>>) {
        await hub.followHealth()
    }

    private func realization(hosts: [String], revision: Int64) async -> RealizationStatus {
        var entries: [HostRealization] = []
        for host in hosts {
            entries.append(HostRealization(host: host, realized: await hub.hasRealized(host: host, revision: revision),
                                           ackedRevision: await hub.status(of: host).ackedRevision))
        }
        // An object no host holds yet (an unbound port) is realized once the compiler has seen it.
        let compiled = await hub.revision >= revision
        return RealizationStatus(realized: compiled && entries.allSatisfy(\.realized), hosts: entries)
    }

    public func progressMark() async -> Int {
        await hub.progressMark
    }

    public func waitForProgress(beyond mark: Int, timeout: Duration) async {
        await hub.waitForProgress(beyond: mark, timeout: timeout)
    }

    public func hostStateLimitReached(switches: [String], routers: [String], hosts: [String]) async -> Int? {
        await hub.fullHost(switches: switches, routers: routers, hosts: hosts) == nil ? nil : hub.maximumHostEntries
    }

    public func makeEnrollmentToken(hostName: String, ttlSeconds: Int) throws -> EnrollmentGrant {
        let token = try EnrollmentToken.make(host: hostName, ttl: TimeInterval(ttlSeconds))
        // This controller first, then the others serving the store (agents move among them).
        let others = server.presence.addresses.dropFirst().compactMap { try? JoinString.Endpoint(parsing: $0) }.map { ($0.host, $0.port) }
        let join = try JoinString(controllers: [(advertisedHost, advertisedPort)] + others.prefix(JoinString.maximumControllers - 1),
                                  tokenSecret: token.secret, caFingerprint: authority.fingerprint)
        return EnrollmentGrant(secret: token.secret, secretHash: token.secretHash, expiresAt: token.expiresAt, joinString: join.description)
    }

    public func trace(_ query: TraceQuery) async -> Trace {
        await hub.trace(query)
    }

    public func reachability(_ query: TraceQuery) async -> Reachability? {
        await hub.reachability(query)
    }

    public func revoke(hostName: String, revision: Int64) async {
        server.revoke(hostName: hostName, revision: revision)
    }
}
