import Hummingbird
import Northbound

extension ListQuery {
    /// Reads `?field=value`, `?label=key=value` (repeatable), `?limit=N` and `?cursor=…` from a request.
    init(request: Request) throws {
        self.init()
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            let value = String(value)
            switch name {
            case "label":
                guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                    throw ModelError(.invalidQuery, field: "label", "label filters look like label=key=value")
                }
                let filter = [String(value[..<equals]): String(value[value.index(after: equals)...])]
                do {
                    labels.merge(try Validate.labels(filter, field: "label"), uniquingKeysWith: { $1 })
                } catch let error as ModelError {
                    throw ModelError(.invalidQuery, field: "label", error.message)
                }
            case "limit":
                limit = try QueryNumber.integer(value, in: 1...ListQuery.maxLimit, field: "limit",
                                                "limit must be a whole number from 1 to \(ListQuery.maxLimit)")
            case "cursor":
                cursor = value
            default:
                fields[name] = try Self.filterValue(name, value)
            }
        }
    }

    /// A field filter's value, checked as the document's parameter of that name states and written
    /// as the store holds it. Ids may be any string: one that names nothing matches nothing. Which
    /// filters a resource has is the store's concern; it refuses the others.
    static func filterValue(_ field: String, _ text: String) throws -> String {
        do {
            switch field {
            case "name":
                return try Validate.name(text, field: field)
            case "ip", "address":
                return try Validate.ipv4(text, field: field).description
            case "mac":
                // Any MAC: a filter only looks for one, so the unicast rule of new ports does not apply.
                guard let mac = MACAddress(text) else { throw ModelError(.invalidMAC, "'\(text)' is not a MAC address like 02:00:00:00:00:01") }
                return mac.description
            case "vni":
                let range = LogicalSwitch.vniRange
                return String(try QueryNumber.integer(text, in: range, field: field, "vni is a whole number from \(range.lowerBound) to \(range.upperBound)"))
            case "role":
                guard let role = HostRole(rawValue: text) else { throw ModelError(.invalidValue, "role is one of \(HostRole.allCases.map(\.rawValue))") }
                return role.rawValue
            case "kind":
                guard let kind = ClusterKind(rawValue: text) else {
                    throw ModelError(.invalidValue, "kind is one of \(ClusterKind.allCases.map(\.rawValue))")
                }
                return kind.rawValue
            case "tier":
                guard let tier = PolicyTier(rawValue: text) else {
                    throw ModelError(.invalidValue, "tier is one of \(PolicyTier.allCases.map(\.rawValue))")
                }
                return tier.rawValue
            case "destination":
                if let (address, length) = IPv4Network.parse(text) { return "\(address)/\(length)" }
                if let (address, length) = IPv6Network.parse(text) { return "\(address)/\(length)" }
                throw ModelError(.invalidCIDR, "'\(text)' is not an IPv4 or IPv6 prefix like 10.20.0.0/16")
            default:
                return text
            }
        } catch let error as ModelError {
            throw ModelError(.invalidQuery, field: field, error.message)
        }
    }
}
