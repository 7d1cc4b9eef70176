#if canImport(Glibc)
import Glibc
#endif
import CNIPlugin
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The CNI plugin executable: the runtime runs it with CNI_* variables and the network
/// configuration on stdin; the result or error goes to stdout.
@main
struct SwitchyardCNI {
    static func main() {
        var input: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(0, &buffer, buffer.count)
            if count <= 0 { break }
            input.append(contentsOf: buffer[..<count])
        }
        let (output, status) = CNIPlugin().run(environment: ProcessInfo.processInfo.environment, stdin: input)
        if !output.isEmpty {
            let bytes = Array((output + "\n").utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                written += count
            }
        }
        exit(status)
    }
}
