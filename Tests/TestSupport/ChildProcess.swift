import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs commands for tests with posix_spawn and waitpid instead of Foundation's `Process`.
///
/// Why: `Process.waitUntilExit` waits on a run loop for Foundation to notice the child's exit; under
/// the suite's load it has been seen never to notice (the child left a zombie, the test hung), and
/// a `Pipe` to a child stays open as long as any grandchild that inherited it lives (conmon daemonizes).
/// Here the child gets only stdin, stdout and stderr (files, never pipes), default signal handling,
/// and is reaped by a blocking `waitpid` on a thread of its own, never on the threads async code runs on.
public enum ChildProcess {
    /// How a finished command ended: its exit status (128 + the signal when killed) and its output.
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `arguments` (the first is looked up in PATH) to completion and returns its standard
    /// output, with its standard error too when `includeErrors`. `input` is its standard input.
    public static func run(_ arguments: [String], environment: [String: String]? = nil, input: String? = nil,
                           includeErrors: Bool = false) async throws -> Outcome {
        try await onOwnThread { try runBlocking(arguments, environment: environment, input: input, includeErrors: includeErrors) }
    }

    /// ``run(_:environment:input:includeErrors:)`` for synchronous callers: blocks the calling thread.
    public static func runBlocking(_ arguments: [String], environment: [String: String]? = nil, input: String? = nil,
                                   includeErrors: Bool = false) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)").path
        defer {
            unlink(scratch + ".in")
            unlink(scratch + ".out")
        }
        var inputPath = "/dev/null"
        if let input {
            inputPath = scratch + ".in"
            guard FileManager.default.createFile(atPath: inputPath, contents: Data(input.utf8)) else {
                throw Failure(description: "cannot write \(inputPath)")
            }
        }
        let pid = try spawn(arguments, environment: environment, input: inputPath, output: scratch + ".out",
                            errors: includeErrors ? nil : "/dev/null")
        let status = waitForExit(pid)
        let output = (try? String(contentsOfFile: scratch + ".out", encoding: .utf8)) ?? ""
        return Outcome(status: status, output: output)
    }

    /// Starts a long-running command, its standard output and error written to `log` (or dropped);
    /// a thread of its own reaps it when it ends.
    @discardableResult
    public static func launch(_ arguments: [String], environment: [String: String]? = nil, log: String? = nil) throws -> Launched {
        Launched(pid: try spawn(arguments, environment: environment, input: "/dev/null", output: log ?? "/dev/null", errors: nil))
    }

    /// A launched command.
    public final class Launched: Sendable {
        public let pid: pid_t
        private let reaped = DispatchSemaphore(value: 0)

        init(pid: pid_t) {
            self.pid = pid
            Thread { [reaped] in
                _ = ChildProcess.waitForExit(pid)
                reaped.signal()
            }.start()
        }

        /// SIGKILLs the command and blocks until it has been reaped; again is a no-op. A command
        /// already reaped is not signalled: its pid may be another process's now.
        public func kill() {
            if reaped.wait(timeout: .now()) == .success {
                reaped.signal()
                return
            }
            _ = Glibc.kill(pid, SIGKILL)
            reaped.wait()
            reaped.signal()
        }
    }

    /// Runs `body` on a new thread and resumes with its result: blocking work without holding one
    /// of the few threads every test's async code shares.
    public static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// The exit status of `pid` once it has ended (128 + the signal when a signal ended it).
    static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// posix_spawnp with stdin from `input`, stdout to `output`, stderr to `errors` (or stdout),
    /// every other descriptor closed and every signal at its default.
    private static func spawn(_ arguments: [String], environment: [String: String]?, input: String, output: String,
                              errors: String?) throws -> pid_t {
        guard let program = arguments.first else { throw Failure(description: "no command") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        try closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        var noSignals = sigset_t()
        sigfillset(&allSignals)
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid = pid_t()
        let result = envp == nil ? posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
                                 : posix_spawnp(&pid, program, &actions, &attributes, argv, &envp!)
        guard result == 0 else { throw Failure(description: "cannot start \(program): \(String(cString: strerror(result)))") }
        return pid
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// Descriptors from 3 up are closed in the child: other threads' pipes and sockets must not
    /// outlive their owners in a daemonizing grandchild. posix_spawn_file_actions_addclosefrom_np
    /// (glibc 2.34) is not in Swift's Glibc module, hence dlsym.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) throws {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw Failure(description: "glibc 2.34 or later is needed: no posix_spawn_file_actions_addclosefrom_np")
        }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
}
