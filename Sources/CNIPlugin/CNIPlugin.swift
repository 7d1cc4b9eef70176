#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LocalAPI

/// `switchyard-cni`: the CNI plugin (spec 1.0.0 and 1.1.0). It holds no state and no credentials:
/// every command becomes one request to the local agent, which asks the controller for the port
/// over its own session and plugs it in.
public struct CNIPlugin: Sendable {
    public static let supportedVersions = ["1.0.0", "1.1.0"]
    /// What the ports it creates record as their runtime.
    public static let runtime = "cni"

    /// Sends one request to the agent at a socket path; a refusal throws ``LocalAPIError``.
    let send: @Sendable (String, LocalAPIRequest) throws -> LocalAPIResponse

    public init(send: @escaping @Sendable (String, LocalAPIRequest) throws -> LocalAPIResponse = { path, request in
        try LocalAPIClient(socketPath: path).send(request)
    }) {
        self.send = send
    }

    /// Runs one command: what to print on stdout, and the exit status.
    public func run(environment: [String: String], stdin: [UInt8]) -> (output: String, status: Int32) {
        var version = Self.supportedVersions.last!
        do {
            let env = try CNIEnvironment(environment)
            let decoder = JSONDecoder()
            if env.command == .version {
                let asked = (try? decoder.decode(VersionProbe.self, from: Data(stdin)))?.cniVersion ?? version
                return (try Self.json(CNIVersionResult(cniVersion: asked, supportedVersions: Self.supportedVersions)), 0)
            }
            let config: CNIConfig
            do {
                config = try decoder.decode(CNIConfig.self, from: Data(stdin))
            } catch {
                throw CNIError(code: CNIError.decodingFailure, msg: "the network configuration on stdin is not valid JSON of the spec",
                               details: "\(error)")
            }
            guard Self.supportedVersions.contains(config.cniVersion) else {
                throw CNIError(code: CNIError.incompatibleVersion, msg: "cniVersion \(config.cniVersion) is not supported",
                               details: "supported: \(Self.supportedVersions.joined(separator: ", "))")
            }
            version = config.cniVersion
            return (try perform(env, config), 0)
        } catch let error as CNIError {
            return (Self.errorJSON(error, version: version), 1)
        } catch {
            return (Self.errorJSON(CNIError(code: CNIError.ioFailure, msg: "\(error)"), version: version), 1)
        }
    }

    private func perform(_ env: CNIEnvironment, _ config: CNIConfig) throws -> String {
        let socket = config.socket ?? LocalAPIClient.defaultSocketPath
        switch env.command {
        case .add:
            let response = try call(socket, LocalAPIRequest(
                op: .add, namespace: env.netns, owner: Self.owner(env), network: try network(config), ip: config.requestedIP(cniArgs: env.args),
                labels: config.labels(cniArgs: env.args), mtu: config.mtu, defaultRoute: config.defaultRoute ?? (env.ifname == "eth0")))
            guard let interface = response.interfaces?.first else {
                throw CNIError(code: CNIError.ioFailure, msg: "the agent answered without the interface")
            }
            return try Self.json(Self.result(interface, sandbox: env.netns!, version: config.cniVersion, dns: config.dns))
        case .del:
            _ = try call(socket, LocalAPIRequest(op: .remove, owner: Self.owner(env)))
            return ""
        case .check:
            let response = try call(socket, LocalAPIRequest(op: .verify, owner: Self.owner(env)))
            if let interface = response.interfaces?.first, let previous = config.previousAddresses,
               !previous.contains(interface.ip) {
                throw CNIError(code: CNIError.interfaceMismatch, msg: "the previous result's addresses \(previous) do not hold \(interface.ip)")
            }
            return ""
        case .status:
            do {
                _ = try call(socket, LocalAPIRequest(op: .status))
            } catch let error as CNIError where error.code == CNIError.tryAgainLater {
                throw CNIError(code: CNIError.notAvailable, msg: error.msg, details: error.details)
            }
            return ""
        case .gc:
            let keep = (config.validAttachments ?? config.attachments ?? []).map {
                AttachmentOwner(runtime: Self.runtime, containerID: $0.containerID, interfaceName: $0.ifname)
            }
            _ = try call(socket, LocalAPIRequest(op: .collect, network: try network(config), runtime: Self.runtime, keep: keep))
            return ""
        case .version:
            return ""
        }
    }

    /// The container's interface the command is about (ADD, DEL and CHECK have both variables).
    private static func owner(_ env: CNIEnvironment) -> AttachmentOwner {
        AttachmentOwner(runtime: runtime, containerID: env.containerID!, interfaceName: env.ifname!)
    }

    private func network(_ config: CNIConfig) throws -> WorkloadNetwork {
        func required(_ value: String?, _ field: String) throws -> String {
            guard let value, !value.isEmpty else {
                throw CNIError(code: CNIError.invalidConfiguration, msg: "the network configuration needs \"\(field)\"")
            }
            return value
        }
        return WorkloadNetwork(tenant: try required(config.tenant, "tenant"), switch: try required(config.switch, "switch"),
                               cluster: try required(config.cluster, "cluster"))
    }

    /// One request to the agent, its refusals turned into the spec's codes.
    private func call(_ socket: String, _ request: LocalAPIRequest) throws -> LocalAPIResponse {
        do {
            return try send(socket, request)
        } catch let error as LocalAPIError {
            throw Self.cniError(error)
        } catch let error as CNIError {
            throw error
        } catch {
            throw CNIError(code: CNIError.ioFailure, msg: "the agent's answer could not be read", details: "\(error)")
        }
    }

    static func cniError(_ error: LocalAPIError) -> CNIError {
        let code: Int
        switch error.code {
        case "unreachable", "unavailable", "socket", "io": code = CNIError.tryAgainLater
        case "not_attached": code = CNIError.unknownContainer
        case "interface_mismatch": code = CNIError.interfaceMismatch
        case "not_realized", "interface_taken", "already_attached": code = CNIError.notRealized
        case "invalid_namespace", "invalid_interfaceName", "invalid_port": code = CNIError.invalidEnvironment
        case "not_found", "forbidden", "invalid_value", "invalid_ip", "invalid_label": code = CNIError.invalidConfiguration
        default: code = CNIError.refusedByController
        }
        return CNIError(code: code, msg: error.message, details: error.code)
    }

    static func result(_ interface: WorkloadInterface, sandbox: String, version: String, dns: CNIDNS?) -> CNIResult {
        var interfaces: [CNIResult.Interface] = []
        if let host = interface.hostInterface {
            interfaces.append(CNIResult.Interface(name: host, mac: interface.hostMAC, mtu: interface.mtu, sandbox: nil))
        }
        let index = interfaces.count
        interfaces.append(CNIResult.Interface(name: interface.interfaceName, mac: interface.mac, mtu: interface.mtu, sandbox: sandbox))
        var ips = [CNIResult.IP(address: interface.ip, gateway: interface.gateway, interface: index)]
        if let ip6 = interface.ip6 { ips.append(CNIResult.IP(address: ip6, gateway: interface.gateway6, interface: index)) }
        var routes: [CNIResult.Route] = []
        if interface.defaultRoute {
            routes.append(CNIResult.Route(dst: "0.0.0.0/0", gw: interface.gateway))
            if interface.ip6 != nil, let gateway6 = interface.gateway6 { routes.append(CNIResult.Route(dst: "::/0", gw: gateway6)) }
        }
        return CNIResult(cniVersion: version, interfaces: interfaces, ips: ips, routes: routes, dns: resolver(interface.dns, configured: dns))
    }

    /// The DNS of the result: the router's server and the tenant's zone to search when the switch
    /// has one (the configuration's search domains and options after), else the configuration's.
    static func resolver(_ served: WorkloadDNS?, configured: CNIDNS?) -> CNIDNS {
        guard let served else { return configured ?? CNIDNS() }
        let search = served.search + (configured?.search ?? []).filter { !served.search.contains($0) }
        return CNIDNS(nameservers: served.nameservers, domain: configured?.domain, search: search, options: configured?.options)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func errorJSON(_ error: CNIError, version: String) -> String {
        struct Output: Encodable {
            var cniVersion: String
            var code: Int
            var msg: String
            var details: String?
        }
        return (try? json(Output(cniVersion: version, code: error.code, msg: error.msg, details: error.details)))
            ?? #"{"code":5,"msg":"cannot encode the error"}"#
    }

    private struct VersionProbe: Decodable {
        var cniVersion: String?
    }
}
