/// A request type some of whose top-level fields a client may set to JSON null, to clear what they
/// hold (PATCH `{"host": null}` unbinds a port). Every other null in a request body is refused:
/// a null the server silently read as "absent" would be a value the document does not allow.
public protocol NullableFields {
    static var nullableFields: Set<String> { get }
}

extension PortUpdate: NullableFields {
    public static var nullableFields: Set<String> { ["host", "cluster"] }
}

extension FloatingIPUpdate: NullableFields {
    public static var nullableFields: Set<String> { ["port"] }
}

extension RouterUpdate: NullableFields {
    public static var nullableFields: Set<String> { ["externalNetwork"] }
}

extension ServiceUpdate: NullableFields {
    public static var nullableFields: Set<String> { ["healthCheck"] }
}
