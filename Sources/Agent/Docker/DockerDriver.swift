import Foundation
import LocalAPI
import PKI

/// Docker's remote network and IPAM driver (libnetwork's CNM) on top of ``RuntimePorts``.
///
/// A Docker network is a Switchyard switch: `docker network create -d switchyard --ipam-driver
/// switchyard -o tenant=acme -o switch=web [-o cluster=pods] web`. Docker asks the IPAM driver for a
/// pool before it tells the network driver the network's options, and later asks for addresses
/// naming only the pool, so:
/// - RequestPool hands out a new pool id (the same one again for the same request while it is not
///   yet a network's), with no gateway for Docker to allocate: the switch has its own;
/// - CreateNetwork binds the one unbound pool with the network's subnet to the switch its options
///   name (two at once are refused rather than guessed);
/// - RequestAddress creates the port through the controller and plugs its veth in with the
///   workload end left in the host's namespace (``PortAttachment/handedOver``); the address
///   answered is the port's;
/// - CreateEndpoint finds that port by its address, adds the labels of its `label.KEY` options
///   (`--driver-opt label.app=web`) and gives Docker its MAC; Join names the veth
///   end for Docker to move into the container, with the switch's gateway;
/// - ReleaseAddress deletes the port (Leave and DeleteEndpoint come first and change nothing).
///
/// What it knows is persisted in `docker.json` in the state directory: Docker keeps its networks
/// and pool ids across restarts of either side.
public actor DockerDriver {
    struct Pool: Codable, Equatable {
        var pool: String
        var subPool: String?
        var options: [String: String]
        /// The Docker network it belongs to, once created.
        var network: String?
    }

    struct Network: Codable, Equatable {
        var workload: WorkloadNetwork
        var pool: String
    }

    /// A port created for an address request; its key is the port owner's container id.
    struct Reservation: Codable, Equatable {
        var pool: String
        /// With prefix length, e.g. `10.0.0.5/24`.
        var address: String
        var mac: String
        var gateway: String
        var endpoint: String?
    }

    struct State: Codable, Equatable {
        var pools: [String: Pool] = [:]
        var networks: [String: Network] = [:]
        var reservations: [String: Reservation] = [:]
    }

    /// A refusal Docker shows the user; IPAM calls carry it as `Error`, network calls as `Err`.
    struct Refusal: Error {
        var message: String
    }

    static let runtime = "docker"
    /// A pool that leaves the subnet to the switch.
    static let anyPool = "0.0.0.0/0"

    private let ports: RuntimePorts
    private let file: String
    private var state: State

    public init(ports: RuntimePorts, stateDirectory: String) throws {
        self.ports = ports
        file = (stateDirectory as NSString).appendingPathComponent("docker.json")
        state = try FileManager.default.contents(atPath: file).map { try JSONDecoder().decode(State.self, from: $0) } ?? State()
    }

    /// Answers one call: `path` is the URL path Docker posted to (`/NetworkDriver.Join`), `body` its JSON.
    public func answer(path: String, body: [UInt8]) async -> [UInt8] {
        let call = path.hasPrefix("/") ? String(path.dropFirst()) : path
        let errorKey = call.hasPrefix("IpamDriver.") ? "Error" : "Err"
        do {
            return try await answer(call, Data(body.isEmpty ? Array("{}".utf8) : body))
        } catch let refusal as Refusal {
            return Self.encode([errorKey: refusal.message])
        } catch let error as LocalAPIError {
            return Self.encode([errorKey: "\(error.code): \(error.message)"])
        } catch is DecodingError {
            return Self.encode([errorKey: "\(call): the request body is not what libnetwork sends"])
        } catch {
            return Self.encode([errorKey: "\(error)"])
        }
    }

    private func answer(_ call: String, _ body: Data) async throws -> [UInt8] {
        let decoder = JSONDecoder()
        switch call {
        case "Plugin.Activate":
            return Self.encode(["Implements": ["NetworkDriver", "IpamDriver"]])
        case "NetworkDriver.GetCapabilities":
            return Self.encode(["Scope": "local", "ConnectivityScope": "global"])
        case "IpamDriver.GetCapabilities":
            return Self.encode(["RequiresMACAddress": false])
        case "IpamDriver.GetDefaultAddressSpaces":
            return Self.encode(["LocalDefaultAddressSpace": "switchyard", "GlobalDefaultAddressSpace": "switchyard"])
        case "IpamDriver.RequestPool":
            return Self.encode(try requestPool(try decoder.decode(DockerPlugin.RequestPool.self, from: body)))
        case "IpamDriver.ReleasePool":
            // A pool a network holds stays: a refused network released the id it shared with it.
            // (DeleteNetwork takes a network's pool along.)
            let pool = try decoder.decode(DockerPlugin.ReleasePool.self, from: body).PoolID
            if state.pools[pool]?.network == nil { state.pools[pool] = nil }
            try persist()
        case "IpamDriver.RequestAddress":
            return Self.encode(try await requestAddress(try decoder.decode(DockerPlugin.RequestAddress.self, from: body)))
        case "IpamDriver.ReleaseAddress":
            try await releaseAddress(try decoder.decode(DockerPlugin.ReleaseAddress.self, from: body))
        case "NetworkDriver.CreateNetwork":
            try createNetwork(try decoder.decode(DockerPlugin.CreateNetwork.self, from: body))
        case "NetworkDriver.DeleteNetwork":
            // The network's pool goes with it (Docker's ReleasePool that follows finds nothing).
            let network = try decoder.decode(DockerPlugin.NetworkReference.self, from: body).NetworkID
            if let pool = state.networks.removeValue(forKey: network)?.pool { state.pools[pool] = nil }
            try persist()
        case "NetworkDriver.CreateEndpoint":
            return Self.encode(try await createEndpoint(try decoder.decode(DockerPlugin.CreateEndpoint.self, from: body)))
        case "NetworkDriver.DeleteEndpoint":
            let endpoint = try decoder.decode(DockerPlugin.EndpointReference.self, from: body)
            if let key = reservation(endpoint: endpoint.EndpointID) {
                state.reservations[key]?.endpoint = nil
                try persist()
            }
        case "NetworkDriver.EndpointOperInfo":
            return Self.encode(["Value": [String: String]()])
        case "NetworkDriver.Join":
            return Self.encode(try join(try decoder.decode(DockerPlugin.Join.self, from: body)))
        case "NetworkDriver.Leave", "NetworkDriver.DiscoverNew", "NetworkDriver.DiscoverDelete",
             "NetworkDriver.ProgramExternalConnectivity", "NetworkDriver.RevokeExternalConnectivity",
             "NetworkDriver.AllocateNetwork", "NetworkDriver.FreeNetwork":
            break
        default:
            throw Refusal(message: "\(call) is not a call of the NetworkDriver or IpamDriver protocols")
        }
        return Self.encode([String: String]())
    }

    private func requestPool(_ request: DockerPlugin.RequestPool) throws -> DockerPlugin.PoolAnswer {
        guard request.V6 != true else {
            throw Refusal(message: "Switchyard's Docker networks are IPv4 only: create the network without --ipv6")
        }
        let wanted = Pool(pool: request.Pool.flatMap { $0.isEmpty ? nil : $0 } ?? Self.anyPool,
                          subPool: request.SubPool.flatMap { $0.isEmpty ? nil : $0 }, options: request.Options ?? [:])
        let id = state.pools.first { $0.value == wanted }?.key ?? "switchyard-\(Self.randomHex(16))"
        state.pools[id] = wanted
        try persist()
        // A gateway in the answer's data keeps Docker from asking for one: the switch has its own.
        return DockerPlugin.PoolAnswer(PoolID: id, Pool: wanted.pool, Data: ["com.docker.network.gateway": Self.anyPool])
    }

    private func createNetwork(_ request: DockerPlugin.CreateNetwork) throws {
        let options = request.Options?.generic ?? [:]
        guard let tenant = options["tenant"], let name = options["switch"] else {
            throw Refusal(message: "a Switchyard network names its switch: -o tenant=TENANT -o switch=SWITCH [-o cluster=CLUSTER]")
        }
        // Without a cluster, the controller takes the tenant's one cluster that lists this host.
        let cluster = options["cluster"] ?? ""
        guard request.IPv6Data?.isEmpty ?? true else {
            throw Refusal(message: "Switchyard's Docker networks are IPv4 only: create the network without --ipv6")
        }
        let workload = WorkloadNetwork(tenant: tenant, switch: name, cluster: cluster)
        if let existing = state.networks[request.NetworkID] {
            guard existing.workload == workload else { throw Refusal(message: "network \(request.NetworkID) exists with other options") }
            return
        }
        let subnet = request.IPv4Data?.first?.Pool ?? Self.anyPool
        let unbound = state.pools.filter { $0.value.network == nil && $0.value.pool == subnet }.map(\.key)
        guard unbound.count == 1, let pool = unbound.first else {
            throw Refusal(message: unbound.isEmpty
                ? "no pool of the switchyard IPAM driver for \(subnet): create the network with --ipam-driver switchyard"
                : "several networks with subnet \(subnet) are being created at once; create them one after the other")
        }
        state.pools[pool]?.network = request.NetworkID
        state.networks[request.NetworkID] = Network(workload: workload, pool: pool)
        try persist()
    }

    private func requestAddress(_ request: DockerPlugin.RequestAddress) async throws -> DockerPlugin.AddressAnswer {
        if request.Options?["RequestAddressType"] == "com.docker.network.gateway" {
            throw Refusal(message: "the switch's gateway is Switchyard's: create the network without --gateway")
        }
        guard let pool = state.pools[request.PoolID], let networkID = pool.network, let network = state.networks[networkID] else {
            throw Refusal(message: "pool \(request.PoolID) belongs to no network of this driver")
        }
        let key = Self.randomHex(12)
        let owner = AttachmentOwner(runtime: Self.runtime, containerID: key, interfaceName: Self.vethEnd(key))
        let requested = request.Address.flatMap { $0.isEmpty ? nil : $0 }
        do {
            let interface = try await ports.add(owner: owner, namespace: "", network: network.workload, ip: requested, labels: [:],
                                                mtu: nil, defaultRoute: false, handedOver: true)
            guard pool.pool == Self.anyPool || IPv4Text.prefix(pool.pool, contains: Self.bare(interface.ip)) else {
                throw Refusal(message: "switch \(network.workload.switch) gave \(interface.ip), outside the network's subnet \(pool.pool): "
                    + "leave --subnet out or give the switch's")
            }
            // The controller just gave this address: a reservation still holding it is stale.
            state.reservations = state.reservations.filter { $0.value.pool != request.PoolID || Self.bare($0.value.address) != Self.bare(interface.ip) }
            state.reservations[key] = Reservation(pool: request.PoolID, address: interface.ip, mac: interface.mac, gateway: interface.gateway)
            try persist()
            return DockerPlugin.AddressAnswer(Address: interface.ip)
        } catch {
            // Docker never learns of an address it was not answered: nothing may stay behind.
            _ = try? await ports.remove(runtime: Self.runtime, containerID: key, interfaceName: nil)
            throw error
        }
    }

    private func releaseAddress(_ request: DockerPlugin.ReleaseAddress) async throws {
        let address = Self.bare(request.Address)
        guard let key = state.reservations.first(where: { $0.value.pool == request.PoolID && Self.bare($0.value.address) == address })?.key
        else { return }
        // Forgotten before the controller is asked: the address may be handed out again meanwhile.
        state.reservations[key] = nil
        try persist()
        _ = try await ports.remove(runtime: Self.runtime, containerID: key, interfaceName: nil)
    }

    private func createEndpoint(_ request: DockerPlugin.CreateEndpoint) async throws -> DockerPlugin.EndpointAnswer {
        guard let network = state.networks[request.NetworkID] else { throw Refusal(message: "no network \(request.NetworkID) here") }
        let address = Self.bare(request.Interface?.Address ?? "")
        guard let key = state.reservations.first(where: { $0.value.pool == network.pool && Self.bare($0.value.address) == address })?.key,
              let reservation = state.reservations[key] else {
            throw Refusal(message: "no port holds \(address.isEmpty ? "an empty address" : address) on this network: use --ipam-driver switchyard")
        }
        let mac = request.Interface?.MacAddress ?? ""
        guard mac.isEmpty || mac.lowercased() == reservation.mac.lowercased() else {
            throw Refusal(message: "the port's MAC is \(reservation.mac): leave --mac-address out")
        }
        // Labels, which policies select on, come as endpoint options `label.KEY=VALUE`.
        let labels = Dictionary(uniqueKeysWithValues: (request.Options?.values ?? [:]).compactMap { key, value in
            key.hasPrefix("label.") && key.count > 6 ? (String(key.dropFirst(6)), value) : nil
        })
        if !labels.isEmpty { try await ports.label(runtime: Self.runtime, containerID: key, labels: labels) }
        state.reservations[key]?.endpoint = request.EndpointID
        try persist()
        return DockerPlugin.EndpointAnswer(Interface: mac.isEmpty ? .init(MacAddress: reservation.mac) : nil)
    }

    private func join(_ request: DockerPlugin.Join) throws -> DockerPlugin.JoinAnswer {
        guard let key = reservation(endpoint: request.EndpointID), let reservation = state.reservations[key] else {
            throw Refusal(message: "no endpoint \(request.EndpointID) here")
        }
        return DockerPlugin.JoinAnswer(InterfaceName: .init(SrcName: Self.vethEnd(key), DstPrefix: "eth"), Gateway: reservation.gateway)
    }

    private func reservation(endpoint: String) -> String? {
        state.reservations.first { $0.value.endpoint == endpoint }?.key
    }

    private func persist() throws {
        try AtomicFile.replace(file, with: Array(try JSONEncoder().encode(state)), mode: 0o600)
    }

    /// The workload end's name while it waits in the host's namespace for Docker to move it.
    static func vethEnd(_ key: String) -> String { "syd" + key }

    static func randomHex(_ digits: Int) -> String {
        String((0..<digits).map { _ in "0123456789abcdef".randomElement()! })
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        Array((try? JSONEncoder().encode(value)) ?? Data("{}".utf8))
    }

    /// `10.0.0.5/24` → `10.0.0.5`.
    static func bare(_ address: String) -> String {
        String(address.split(separator: "/").first ?? "")
    }
}
