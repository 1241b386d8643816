import CrmqEngine
import Foundation

/// Writes output to a file in large blocks.
struct FileSink: OutputSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else { fail("cannot write \(path)") }
        handle = h
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 20 { flush() }
    }

    mutating func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() {
        flush()
        try? handle.close()
    }
}
