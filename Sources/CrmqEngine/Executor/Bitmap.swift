/// One bit per row: the set of rows a filter keeps. `and`/`or`/`not` are word-wise operations.
public struct Bitmap: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public let count: Int

    public init(count: Int, filled: Bool = false) {
        self.count = count
        self.words = [UInt64](repeating: filled ? ~0 : 0, count: (count + 63) / 64)
        if filled { clearTail() }
    }

    public subscript(i: Int) -> Bool {
        words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    public mutating func set(_ i: Int) {
        words[i >> 6] |= 1 << UInt64(i & 63)
    }

    /// Builds a bitmap from a per-row predicate, a word at a time.
    public init(count: Int, where test: (Int) -> Bool) {
        self.count = count
        var words = [UInt64](repeating: 0, count: (count + 63) / 64)
        words.withUnsafeMutableBufferPointer { w in
            for wi in 0..<w.count {
                var word: UInt64 = 0
                let base = wi << 6
                let end = min(64, count - base)
                for b in 0..<end where test(base + b) { word |= 1 << UInt64(b) }
                w[wi] = word
            }
        }
        self.words = words
    }

    /// As `init(count:where:)`, the words cut into chunks that run on the cores when `count`
    /// reaches the parallelism's threshold (`test` only reads).
    init(count: Int, parallelism: Parallelism, where test: (Int) -> Bool) {
        guard parallelism.chunkCount(count) > 1 else {
            self.init(count: count, where: test)
            return
        }
        self.init(count: count)
        words.withUnsafeMutableBufferPointer { w in
            nonisolated(unsafe) let w = w
            _ = try? parallelism.map(count, align: 64) { (rows: Range<Int>) throws(Diagnostic) in
                Bitmap.fill(w, words: rows.lowerBound >> 6..<(rows.upperBound + 63) >> 6, count: count, test)
            }
        }
    }

    /// Sets the bits of `words` from `test`, for the rows of those words below `count`.
    @inline(__always)
    private static func fill(_ w: UnsafeMutableBufferPointer<UInt64>, words: Range<Int>, count: Int, _ test: (Int) -> Bool) {
        for wi in words {
            var word: UInt64 = 0
            let base = wi << 6
            let end = min(64, count - base)
            for b in 0..<end where test(base + b) { word |= 1 << UInt64(b) }
            w[wi] = word
        }
    }

    public mutating func formIntersection(_ other: Bitmap) {
        for i in words.indices { words[i] &= other.words[i] }
    }

    public mutating func formUnion(_ other: Bitmap) {
        for i in words.indices { words[i] |= other.words[i] }
    }

    public mutating func invert() {
        for i in words.indices { words[i] = ~words[i] }
        clearTail()
    }

    public var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The rows whose bit is set, ascending.
    public var rows: [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(cardinality)
        for (wi, var word) in words.enumerated() {
            while word != 0 {
                let b = word.trailingZeroBitCount
                out.append(Int32(wi << 6 + b))
                word &= word - 1
            }
        }
        return out
    }

    private mutating func clearTail() {
        let extra = words.count * 64 - count
        if extra > 0, !words.isEmpty { words[words.count - 1] &= ~0 >> UInt64(extra) }
    }
}
