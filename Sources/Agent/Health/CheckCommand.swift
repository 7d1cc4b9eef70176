import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs the program of a script or container check: without a shell, as `nobody`, inside a
/// network namespace (entered by util-linux's nsenter, which also drops to that user), with the
/// endpoint's address and port in its environment; killed at its timeout; at most 4 KiB of its
/// output (stdout and stderr together) kept.
struct CheckCommand: Sendable {
    var command: [String]
    var environment: [String: String]
    /// A name under /run/netns, or a runtime's namespace path.
    var namespace: String
    var timeout: Duration

    static let nsenter = "/usr/bin/nsenter"
    static let nobody = "65534"
    static let outputLimit = 4_096

    /// The exit status (nil when it was killed at its timeout or could not start) and its output.
    func run() async -> (status: Int32?, output: String) {
        guard let program = command.first, program.hasPrefix("/") else { return (nil, "the program must be an absolute path") }
        let path = namespace.hasPrefix("/") ? namespace : "/run/netns/\(namespace)"
        let arguments = [Self.nsenter, "--net=\(path)", "--setgid=\(Self.nobody)", "--setuid=\(Self.nobody)", "--"] + command
        let variables = ["PATH=/usr/local/bin:/usr/bin:/bin"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let timeout = self.timeout
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Self.spawnAndWait(arguments, variables, timeout: timeout))
            }
        }
    }

    private static func spawnAndWait(_ arguments: [String], _ variables: [String], timeout: Duration) -> (Int32?, String) {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return (nil, "pipe: \(String(cString: strerror(errno)))") }
        // Neither end may outlive an exec: the child gets the write end as its stdout and stderr only.
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        close(pipeEnds[1])
        defer { close(pipeEnds[0]) }
        guard spawned == 0 else { return (nil, "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))") }

        let deadline = ContinuousClock.now + timeout
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1_024)
        var open = true
        while open, ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0)
            let left = max(1, Int32((deadline - ContinuousClock.now) / .milliseconds(1)))
            guard poll(&descriptor, 1, min(left, 100)) >= 0 else { break }
            guard descriptor.revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count <= 0 { open = false } else if output.count < outputLimit { output += buffer[..<min(count, outputLimit - output.count)] }
        }
        var status: Int32 = 0
        while ContinuousClock.now < deadline, waitpid(pid, &status, WNOHANG) == 0 { usleep(10_000) }
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            return (nil, String(decoding: output, as: UTF8.self) + "(killed after \(timeout))")
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : nil, String(decoding: output, as: UTF8.self))
    }
}
