import Foundation

/// Writes lines straight to stdout and stderr, unbuffered, so that a report and the error ending it keep their
/// order even when both streams go to one pipe.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
