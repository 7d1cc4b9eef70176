import NIOCore
import NIOPosix
import PKI

/// How a ``HostAgent`` finds its state, its controller and its pace.
public struct AgentConfiguration: Sendable {
    /// Where the key, certificates, controller address and applied state live.
    public var stateDirectory: AgentStateDirectory
    /// Enrolls the agent when the state directory holds no certificate yet; ignored afterwards.
    public var join: JoinString?
    /// The controllers to connect to, tried in turn; when empty, the stored addresses (or the join
    /// string's) are used, and the list the controllers send replaces them. A given list is stored
    /// for the next start and kept as given.
    public var controllers: [ControllerAddress]
    /// How often the agent sends a heartbeat on an idle session.
    public var heartbeatInterval: Duration
    /// How long a silent controller is waited for before the session is given up: by default
    /// three heartbeat intervals, and at least 15 s, since the controller heartbeats at its own pace
    /// (every 5 s).
    public var controllerTimeout: Duration
    /// The wait between connection attempts.
    public var reconnectBackoff: ReconnectBackoff
    /// Whether the applied state is written to the state directory, so that a restarted agent says
    /// hello with its revision. Many simulated agents in one process may turn this off.
    public var persistsAppliedState: Bool
    /// How long the TCP connect, and then the TLS handshake, may each take.
    public var connectTimeout: Duration
    /// Where the sockets live.
    public var eventLoopGroup: any EventLoopGroup
    /// What the agent reports in its hello about routing domains (nil: nothing, for a simulated agent).
    public var routingDomain: String?

    /// A configuration with the defaults of a host installation.
    public init(
        stateDirectory: AgentStateDirectory = AgentStateDirectory(),
        join: JoinString? = nil,
        controllers: [ControllerAddress] = [],
        heartbeatInterval: Duration = .seconds(2),
        reconnectBackoff: ReconnectBackoff = ReconnectBackoff(),
        persistsAppliedState: Bool = true,
        connectTimeout: Duration = .seconds(10),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        routingDomain: String? = nil,
        controllerTimeout: Duration? = nil
    ) {
        self.stateDirectory = stateDirectory
        self.join = join
        self.controllers = controllers
        self.heartbeatInterval = heartbeatInterval
        self.controllerTimeout = controllerTimeout ?? max(heartbeatInterval * 3, .seconds(15))
        self.reconnectBackoff = reconnectBackoff
        self.persistsAppliedState = persistsAppliedState
        self.connectTimeout = connectTimeout
        self.eventLoopGroup = eventLoopGroup
        self.routingDomain = routingDomain
    }
}
