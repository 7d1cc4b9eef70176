/// The bodies of libnetwork's remote NetworkDriver and IpamDriver protocols (moby's
/// libnetwork/docs/remote.md and ipam.md) that the driver reads or writes. Property names are
/// Docker's JSON keys, so these types are the wire format and nothing else.
enum DockerPlugin {
    static let contentType = "application/vnd.docker.plugins.v1+json"

    // MARK: IpamDriver

    struct RequestPool: Decodable {
        var AddressSpace: String?
        var Pool: String?
        var SubPool: String?
        var Options: [String: String]?
        var V6: Bool?
    }

    struct PoolAnswer: Encodable {
        var PoolID: String
        var Pool: String
        var Data: [String: String]
    }

    struct ReleasePool: Decodable {
        var PoolID: String
    }

    struct RequestAddress: Decodable {
        var PoolID: String
        var Address: String?
        var Options: [String: String]?
    }

    struct AddressAnswer: Encodable {
        var Address: String
        var Data: [String: String] = [:]
    }

    struct ReleaseAddress: Decodable {
        var PoolID: String
        var Address: String
    }

    // MARK: NetworkDriver

    struct CreateNetwork: Decodable {
        struct Options: Decodable {
            /// What `docker network create -o KEY=VALUE` gave.
            var generic: [String: String]?

            enum CodingKeys: String, CodingKey {
                case generic = "com.docker.network.generic"
            }
        }

        struct IPAMData: Decodable {
            var AddressSpace: String?
            var Pool: String?
            var Gateway: String?
        }

        var NetworkID: String
        var Options: Options?
        var IPv4Data: [IPAMData]?
        var IPv6Data: [IPAMData]?
    }

    struct NetworkReference: Decodable {
        var NetworkID: String
    }

    struct CreateEndpoint: Decodable {
        struct Interface: Decodable {
            var Address: String?
            var AddressIPv6: String?
            var MacAddress: String?
        }

        var NetworkID: String
        var EndpointID: String
        var Interface: Interface?
        var Options: StringValues?
    }

    /// A JSON object of which only the string values are kept: Docker's endpoint options mix
    /// strings (`--driver-opt`) with arrays (exposed ports, port mappings).
    struct StringValues: Decodable {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        var values: [String: String] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys {
                if let value = try? container.decode(String.self, forKey: key) { values[key.stringValue] = value }
            }
        }
    }

    struct EndpointAnswer: Encodable {
        struct Interface: Encodable {
            var MacAddress: String
        }

        /// Only what Docker left empty may be answered: the MAC.
        var Interface: Interface?
    }

    struct EndpointReference: Decodable {
        var NetworkID: String
        var EndpointID: String
    }

    struct Join: Decodable {
        var NetworkID: String
        var EndpointID: String
        var SandboxKey: String?
    }

    struct JoinAnswer: Encodable {
        struct InterfaceName: Encodable {
            var SrcName: String
            var DstPrefix: String
        }

        var InterfaceName: InterfaceName
        var Gateway: String
        var StaticRoutes: [String] = []
        /// No docker_gwbridge: the switch's gateway is the container's way out.
        var DisableGatewayService = true
    }
}
