import CrmqEngine

/// Drops what it is given and counts its bytes: the cost of formatting a result, without a file's.
struct CountingSink: OutputSink {
    private(set) var bytes = 0

    mutating func write(_ text: String) { bytes += text.utf8.count }
}
