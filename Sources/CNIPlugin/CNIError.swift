/// The spec's error result: printed on stdout with a non-zero exit. Codes 1–99 are the spec's;
/// 100 and up are ours (README, "Containers").
public struct CNIError: Error, Equatable, Sendable {
    public var code: Int
    public var msg: String
    public var details: String?

    public init(code: Int, msg: String, details: String? = nil) {
        self.code = code
        self.msg = msg
        self.details = details
    }

    public static let incompatibleVersion = 1
    public static let unsupportedField = 2
    public static let unknownContainer = 3
    public static let invalidEnvironment = 4
    public static let ioFailure = 5
    public static let decodingFailure = 6
    public static let invalidConfiguration = 7
    public static let tryAgainLater = 11
    public static let notAvailable = 50
    /// The interface in the container is not what its port says (CHECK).
    public static let interfaceMismatch = 100
    /// The controller refused the request (quota, address taken, …); `details` has its code.
    public static let refusedByController = 101
    /// The port was created but the host could not plug it in.
    public static let notRealized = 102
}
