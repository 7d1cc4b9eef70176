/// Field validators shared by every request type. Each returns the normalized value or throws a `ModelError`.
public enum Validate {
    /// Names reach kernel device names and nftables identifiers later, so they are restricted to `[a-z0-9-]`.
    public static func name(_ value: String, field: String = "name") throws -> String {
        guard !value.isEmpty, value.count <= 63 else {
            throw ModelError(.invalidName, field: field, "must be 1 to 63 characters long")
        }
        guard value.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }),
              value.first != "-", value.last != "-" else {
            throw ModelError(.invalidName, field: field, "'\(value)' may hold only a-z, 0-9 and '-', and may not start or end with '-'")
        }
        return value
    }

    public static func labels(_ labels: [String: String]?, field: String = "labels") throws -> [String: String] {
        guard let labels else { return [:] }
        guard labels.count <= 64 else { throw ModelError(.invalidLabel, field: field, "at most 64 labels") }
        for (key, value) in labels {
            guard (1...63).contains(key.count), key.unicodeScalars.allSatisfy(isLabelCharacter) else {
                throw ModelError(.invalidLabel, field: "\(field).\(key)", "label keys are 1 to 63 characters of a-z, A-Z, 0-9, '.', '_', '/', '-'")
            }
            guard value.count <= 63, value.unicodeScalars.allSatisfy(isLabelCharacter), !value.contains("/") else {
                throw ModelError(.invalidLabel, field: "\(field).\(key)", "label values are up to 63 characters of a-z, A-Z, 0-9, '.', '_', '-'")
            }
        }
        return labels
    }

    static func isLabelCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "." || scalar == "_" || scalar == "-" || scalar == "/"
    }

    public static func ipv4(_ text: String, field: String) throws -> IPv4Address {
        guard let address = IPv4Address(text) else {
            throw ModelError(.invalidIP, field: field, "'\(text)' is not an IPv4 address")
        }
        return address
    }

    public static func ipv6(_ text: String, field: String) throws -> IPv6Address {
        guard let address = IPv6Address(text) else {
            throw ModelError(.invalidIP, field: field, "'\(text)' is not an IPv6 address")
        }
        return address
    }

    public static func ipv4Network(_ text: String, field: String, prefix: ClosedRange<Int> = 0...32) throws -> IPv4Network {
        guard let network = IPv4Network(text) else {
            throw ModelError(.invalidCIDR, field: field, "'\(text)' is not an IPv4 prefix with zero host bits, like 10.0.0.0/24")
        }
        guard prefix.contains(network.prefixLength) else {
            throw ModelError(.invalidCIDR, field: field, "prefix length must be between /\(prefix.lowerBound) and /\(prefix.upperBound)")
        }
        return network
    }

    public static func ipv6Network(_ text: String, field: String, prefix: ClosedRange<Int> = 0...128) throws -> IPv6Network {
        guard let network = IPv6Network(text) else {
            throw ModelError(.invalidCIDR, field: field, "'\(text)' is not an IPv6 prefix with zero host bits, like fd00:1::/64")
        }
        guard prefix.contains(network.prefixLength) else {
            throw ModelError(.invalidCIDR, field: field, "prefix length must be between /\(prefix.lowerBound) and /\(prefix.upperBound)")
        }
        return network
    }

    public static func mac(_ text: String, field: String = "mac") throws -> MACAddress {
        guard let mac = MACAddress(text) else {
            throw ModelError(.invalidMAC, field: field, "'\(text)' is not a MAC address like 02:00:00:00:00:01")
        }
        guard !mac.isMulticast, mac.value != 0 else {
            throw ModelError(.invalidMAC, field: field, "'\(text)' must be a unicast address")
        }
        guard !mac.isGatewayReserved else {
            throw ModelError(.invalidMAC, field: field, "addresses starting 0e: are reserved for router gateways")
        }
        return mac
    }

    public static func range(_ value: Int, _ range: ClosedRange<Int>, field: String) throws -> Int {
        guard range.contains(value) else {
            throw ModelError(.invalidValue, field: field, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }
}
