/// A block of output collected as UTF-8 bytes and handed to a sink as one `String` when full.
///
/// A text cell read from a column's dictionary is copied in as its bytes (`ResultSet.withStoredUTF8`),
/// so writing a million names makes no `String` for each: one is made per block, validated once.
/// The escaping of each format is done on the bytes (`append(csvField:)` and the others): every
/// character they look at is ASCII, and a UTF-8 sequence never holds an ASCII byte.
struct OutputBuffer {
    /// Written by the escapers of each format (FieldEscaping.swift) as well.
    var bytes: [UInt8] = []

    /// The size at which a writer hands the block on.
    static let blockSize = 1 << 16

    init() { bytes.reserveCapacity(Self.blockSize + 4096) }

    var isFull: Bool { bytes.count > Self.blockSize }

    mutating func append(_ text: String) {
        var t = text
        t.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(utf8: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: utf8) }

    /// Writes the block to `sink` as text (bytes that are not UTF-8 read as U+FFFD, as a `String`
    /// made from them would) and empties it.
    mutating func flush(to sink: inout some OutputSink) {
        guard !bytes.isEmpty else { return }
        sink.write(String(decoding: bytes, as: UTF8.self))
        bytes.removeAll(keepingCapacity: true)
    }
}
