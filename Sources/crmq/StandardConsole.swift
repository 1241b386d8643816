import CrmqEngine
import Foundation

/// Standard output for results, standard error for diagnostics; colour only on a terminal
/// and never with NO_COLOR set. Output is buffered and written in large blocks.
struct StandardConsole: Console {
    let colorErrors: Bool = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func error(_ text: String) {
        // Keep results and diagnostics in the order they happened when both go to one place.
        flush()
        StandardStreams.writeAll(STDERR_FILENO, Array(text.utf8))
    }

    mutating func flush() {
        StandardStreams.writeAll(STDOUT_FILENO, buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

enum StandardStreams {
    /// Writes every byte, retrying short writes; gives up quietly when the reader has gone (a closed pipe).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    static func error(_ text: String) { writeAll(STDERR_FILENO, Array(text.utf8)) }
}
