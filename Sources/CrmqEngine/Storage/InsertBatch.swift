/// Records inserted into one entity together, column by column: what an import makes (a million
/// at a time) and what a journal's batch of inserts reads back as. Checking, journaling and
/// applying it go field by field; a per-record `.insert` for each would cost an array of values
/// and their copies per record, most of a large import's time. It means exactly what its
/// `rows` (one `.insert` per record, in order) mean.
public struct InsertBatch: Hashable, Sendable {
    /// The records' ids, in insert order.
    public var ids: [Int64]
    /// One per field after `id`, each `ids.count` long.
    public var columns: [BatchColumn]

    public init(ids: [Int64], columns: [BatchColumn]) {
        self.ids = ids
        self.columns = columns
    }

    public var count: Int { ids.count }

    /// Record `row`'s values, one per field after `id`, as an `.insert` holds them.
    public func values(at row: Int) -> [StoredValue] {
        columns.map { $0[row] }
    }

    /// The batch as one `.insert` per record: for the places a handful of records go through.
    public func rows(entity: String) -> [DataChange] {
        ids.indices.map { .insert(entity: entity, id: ids[$0], values: values(at: $0)) }
    }

    /// The batch of a run of `.insert`s (all into one entity, each with `textFields.count`
    /// values); nil when a record has another number of values or a value does not fit its
    /// column (a text for an integer field, a number other than null for a text field).
    public init?(_ run: some Swift.Collection<DataChange>, textFields text: [Bool]) {
        let n = run.count, m = text.count
        var ids: [Int64] = []
        ids.reserveCapacity(n)
        var integers = text.map { $0 ? [] : [Int64](repeating: nullInt, count: n) }
        var texts = text.map { $0 ? TextRun(reserving: n) : TextRun() }
        var ok = true
        for (r, change) in run.enumerated() {
            guard case .insert(_, let id, let values) = change, values.count == m else { return nil }
            ids.append(id)
            values.withUnsafeBufferPointer { v in
                for f in 0..<m {
                    switch v[f] {
                    case .integer(let x):
                        if text[f] {
                            ok = ok && x == nullInt
                            texts[f].append(nil)
                        } else {
                            integers[f][r] = x
                        }
                    case .text(let s):
                        if text[f] { texts[f].append(s) } else { ok = false }
                    }
                }
            }
            if !ok { return nil }
        }
        self.ids = ids
        columns = text.indices.map { text[$0] ? .texts(texts[$0]) : .integers(integers[$0]) }
    }

    /// The records at `rows` (indexes into this batch, any order), in that order.
    public func picking(_ rows: [Int32]) -> InsertBatch {
        InsertBatch(ids: ColumnCompaction.gather(ids, rows), columns: columns.map { $0.picking(rows) })
    }
}

/// One field's values in an `InsertBatch`.
public enum BatchColumn: Hashable, Sendable {
    /// Stored integers, `nullInt` for null.
    case integers([Int64])
    case texts(TextRun)

    public var count: Int {
        switch self {
        case .integers(let a): a.count
        case .texts(let t): t.count
        }
    }

    public subscript(row: Int) -> StoredValue {
        switch self {
        case .integers(let a): .integer(a[row])
        case .texts(let t): t[row].map { .text($0) } ?? .null
        }
    }

    public func picking(_ rows: [Int32]) -> BatchColumn {
        switch self {
        case .integers(let a): .integers(ColumnCompaction.gather(a, rows))
        case .texts(let t): .texts(t.picking(rows))
        }
    }
}

/// Texts (or nulls) in a row, as one UTF-8 buffer and where each ends: a million names without a
/// `String` object each. Kept byte for byte as given.
public struct TextRun: Hashable, Sendable {
    /// Every text's UTF-8, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Where each text ends in `bytes`; a null is `~end` (negative), taking no bytes.
    public private(set) var ends: [Int] = []

    public init() {}

    public init(reserving n: Int) {
        ends.reserveCapacity(n)
    }

    public init<Texts: Sequence<String?>>(_ texts: Texts) {
        for t in texts { append(t) }
    }

    public var count: Int { ends.count }

    /// Where text `i` ends (`ends[i]` decoded).
    @inline(__always)
    private func end(_ i: Int) -> Int {
        let e = ends[i]
        return e < 0 ? ~e : e
    }

    public func isNull(_ i: Int) -> Bool { ends[i] < 0 }

    /// The bytes of text `i` in `bytes`.
    @inline(__always)
    public func span(_ i: Int) -> Range<Int> {
        (i == 0 ? 0 : end(i - 1)) ..< end(i)
    }

    public subscript(i: Int) -> String? {
        if ends[i] < 0 { return nil }
        let r = span(i)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Calls `body` with every text's bytes in place (nil for a null), in order.
    public func forEach(_ body: (Int, UnsafeBufferPointer<UInt8>?) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { b in
            var start = 0
            for i in ends.indices {
                let e = ends[i]
                if e < 0 {
                    try body(i, nil)
                } else {
                    try body(i, UnsafeBufferPointer(rebasing: b[start..<e]))
                    start = e
                }
            }
        }
    }

    public mutating func append(_ text: String?) {
        guard var t = text else {
            ends.append(~bytes.count)
            return
        }
        t.withUTF8 { bytes.append(contentsOf: $0) }
        ends.append(bytes.count)
    }

    /// Appends a text given as UTF-8 (checked by the caller).
    public mutating func append(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
        ends.append(bytes.count)
    }

    /// Appends every text of `other` after these.
    public mutating func append(contentsOf other: TextRun) {
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        ends.reserveCapacity(ends.count + other.ends.count)
        for e in other.ends { ends.append(e < 0 ? ~(~e + shift) : e + shift) }
    }

    public mutating func reserveBytes(_ n: Int) { bytes.reserveCapacity(n) }

    /// Calls `body` with the texts' bytes and ends in place (`cell(_:in:)` reads one).
    public func withSpans<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in try ends.withUnsafeBufferPointer { e in try body(b, e) } }
    }

    /// Text `i` in the buffers `withSpans` gives; nil for a null.
    @inline(__always)
    public static func cell(_ i: Int, in spans: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int>)) -> UnsafeBufferPointer<UInt8>? {
        let e = spans.1[i]
        if e < 0 { return nil }
        let s = i == 0 ? 0 : spans.1[i - 1] < 0 ? ~spans.1[i - 1] : spans.1[i - 1]
        return UnsafeBufferPointer(rebasing: spans.0[s..<e])
    }

    /// Empties the run, keeping its room (a buffer reused for every record).
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// The texts at `rows` (any order), in that order.
    public func picking(_ rows: [Int32]) -> TextRun {
        var out = TextRun(reserving: rows.count)
        bytes.withUnsafeBufferPointer { b in
            for r in rows {
                let i = Int(r)
                if ends[i] < 0 { out.ends.append(~out.bytes.count) } else { out.append(utf8: UnsafeBufferPointer(rebasing: b[span(i)])) }
            }
        }
        return out
    }
}
