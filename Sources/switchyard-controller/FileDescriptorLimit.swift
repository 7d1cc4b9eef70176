import Glibc
import Logging

/// The controller holds a socket per agent and per API client: the usual soft limit of 1,024 open
/// files would make a thousand idle clients lock everyone else out.
enum FileDescriptorLimit {
    /// Raises the soft limit on open files to the hard limit.
    static func raiseToMaximum(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
            logger.warning("cannot raise the open-files limit", metadata: ["errno": "\(errno)"])
        }
    }
}
