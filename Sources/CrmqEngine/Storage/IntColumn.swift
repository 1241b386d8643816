/// The values of one integer field, stored in the fewest bytes that hold them.
///
/// Enum codes and bools take one byte, dates two, ids, references and datetimes four: a frame of
/// reference (`base`) is subtracted from each value and the rest stored unsigned at width 1, 2 or
/// 4, the all-ones word marking null (the layout a snapshot section has, `IntegerLayout`). A range
/// that fits none of them is stored as plain `Int64` with `nullInt` for null. Read as `Int64`
/// (`subscript`, iteration) the column is what it always was; a write that does not fit widens
/// or rebases the whole column first.
///
/// Hot loops go through `forEachValue`, `gather` and `bitmap`, which pick the width once per call
/// and run a loop specialised to it, never a switch per row.
public struct IntColumn: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    enum Words: Sendable, Equatable {
        case w1([UInt8])
        case w2([UInt16])
        case w4([UInt32])
        case w8([Int64])
    }

    private(set) var words: Words
    /// Added to every stored word below the null mark; 0 at width 8.
    public private(set) var base: Int64

    public init() {
        words = .w1([])
        base = 0
    }

    /// A column of `values`, at the narrowest width that holds them.
    public init(_ values: [Int64]) {
        self.init(values, range: values.withUnsafeBufferPointer { IntegerLayout.range($0, null: nullInt) })
    }

    /// A column of `values`, whose non-null range the caller already knows (nil when all are null).
    init(_ values: [Int64], range: (min: Int64, max: Int64)?) {
        let layout = IntColumn.layout(for: range, slack: false)
        base = layout.base
        words = IntColumn.encode(values, layout)
    }

    public init(arrayLiteral elements: Int64...) { self.init(elements) }

    public init(repeating value: Int64, count: Int) {
        if value == nullInt {
            self.init(words: .w1([UInt8](repeating: .max, count: count)), base: 0)
        } else {
            self.init([Int64](repeating: value, count: count), range: (value, value))
        }
    }

    private init(words: Words, base: Int64) {
        self.words = words
        self.base = base
    }

    /// A column of stored words as a snapshot section holds them (`value - base`, all ones for
    /// null). The arithmetic wraps: a damaged base gives wrong values for the caller's range
    /// checks to refuse, never a trap.
    init<W: FixedWidthInteger & UnsignedInteger>(words: [W], base: Int64) {
        switch words {
        case let w as [UInt8]: self.init(words: .w1(w), base: base)
        case let w as [UInt16]: self.init(words: .w2(w), base: base)
        case let w as [UInt32]: self.init(words: .w4(w), base: base)
        default: self.init(words.map { IntColumn.value($0, base) })
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch words {
        case .w1(let a): a.count
        case .w2(let a): a.count
        case .w4(let a): a.count
        case .w8(let a): a.count
        }
    }

    /// Bytes a value takes: 1, 2, 4 or 8.
    public var width: Int {
        switch words {
        case .w1: 1
        case .w2: 2
        case .w4: 4
        case .w8: 8
        }
    }

    /// The value at `row`, `nullInt` for null. A switch per call: for cold paths and single rows.
    @inline(__always)
    public subscript(row: Int) -> Int64 {
        switch words {
        case .w1(let a): IntColumn.value(a[row], base)
        case .w2(let a): IntColumn.value(a[row], base)
        case .w4(let a): IntColumn.value(a[row], base)
        case .w8(let a): a[row]
        }
    }

    @inline(__always)
    static func value<W: FixedWidthInteger & UnsignedInteger>(_ w: W, _ base: Int64) -> Int64 {
        w == W.max ? nullInt : base &+ Int64(w)
    }

    /// Approximate bytes held.
    public var memory: Int { count * width }

    /// Every value widened to `Int64` (a new array): for code that needs them all as one buffer.
    public func int64Array() -> [Int64] {
        if case .w8(let a) = words { return a }
        return [Int64](unsafeUninitializedCapacity: count) { out, initialized in
            forEachValue { i, v in out[i] = v }
            initialized = count
        }
    }

    /// Calls `body` with the values as one `Int64` buffer: the storage itself at width 8, else a
    /// widened copy. For loops that index freely; scans should prefer `forEachValue`.
    public func withInt64Buffer<R>(_ body: (UnsafeBufferPointer<Int64>) throws -> R) rethrows -> R {
        if case .w8(let a) = words { return try a.withUnsafeBufferPointer(body) }
        return try int64Array().withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the stored words as bytes (`width` bytes a row, `base` not added).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch words {
        case .w1(let a): try a.withUnsafeBytes(body)
        case .w2(let a): try a.withUnsafeBytes(body)
        case .w4(let a): try a.withUnsafeBytes(body)
        case .w8(let a): try a.withUnsafeBytes(body)
        }
    }

    /// Calls `body` with each row and its value (`nullInt` for null), in row order.
    @inline(__always)
    public func forEachValue<E: Error>(_ body: (Int, Int64) throws(E) -> Void) throws(E) {
        let base = self.base
        switch words {
        case .w1(let a): try IntColumn.each(a, base, body)
        case .w2(let a): try IntColumn.each(a, base, body)
        case .w4(let a): try IntColumn.each(a, base, body)
        case .w8(let a): try a.withUnsafeBufferPointer { (p) throws(E) in for i in 0..<p.count { try body(i, p[i]) } }
        }
    }

    @inline(__always)
    private static func each<W: FixedWidthInteger & UnsignedInteger, E: Error>(
        _ a: [W], _ base: Int64, _ body: (Int, Int64) throws(E) -> Void) throws(E) {
        try a.withUnsafeBufferPointer { (p) throws(E) in for i in 0..<p.count { try body(i, value(p[i], base)) } }
    }

    /// Calls `body` with a reader of one value a row, the width chosen once: for loops that visit
    /// rows in their own order.
    @inline(__always)
    public func withReader<R, E: Error>(_ body: ((Int) -> Int64) throws(E) -> R) throws(E) -> R {
        let base = self.base
        switch words {
        case .w1(let a): return try a.withUnsafeBufferPointer { (p) throws(E) in try body { IntColumn.value(p[$0], base) } }
        case .w2(let a): return try a.withUnsafeBufferPointer { (p) throws(E) in try body { IntColumn.value(p[$0], base) } }
        case .w4(let a): return try a.withUnsafeBufferPointer { (p) throws(E) in try body { IntColumn.value(p[$0], base) } }
        case .w8(let a): return try a.withUnsafeBufferPointer { (p) throws(E) in try body { p[$0] } }
        }
    }

    /// The rows whose value passes `test`, as a bitmap.
    @inline(__always)
    public func bitmap(_ test: (Int64) -> Bool) -> Bitmap {
        let base = self.base
        switch words {
        case .w1(let a): return a.withUnsafeBufferPointer { p in Bitmap(count: p.count) { test(IntColumn.value(p[$0], base)) } }
        case .w2(let a): return a.withUnsafeBufferPointer { p in Bitmap(count: p.count) { test(IntColumn.value(p[$0], base)) } }
        case .w4(let a): return a.withUnsafeBufferPointer { p in Bitmap(count: p.count) { test(IntColumn.value(p[$0], base)) } }
        case .w8(let a): return a.withUnsafeBufferPointer { p in Bitmap(count: p.count) { test(p[$0]) } }
        }
    }

    /// As `bitmap(_:)`, cut into chunks run on the cores when the column is large enough for
    /// `parallelism` (`test` only reads).
    @inline(__always)
    func bitmap(parallelism: Parallelism, _ test: (Int64) -> Bool) -> Bitmap {
        let base = self.base
        switch words {
        case .w1(let a):
            return a.withUnsafeBufferPointer { p in Bitmap(count: p.count, parallelism: parallelism) { test(IntColumn.value(p[$0], base)) } }
        case .w2(let a):
            return a.withUnsafeBufferPointer { p in Bitmap(count: p.count, parallelism: parallelism) { test(IntColumn.value(p[$0], base)) } }
        case .w4(let a):
            return a.withUnsafeBufferPointer { p in Bitmap(count: p.count, parallelism: parallelism) { test(IntColumn.value(p[$0], base)) } }
        case .w8(let a):
            return a.withUnsafeBufferPointer { p in Bitmap(count: p.count, parallelism: parallelism) { test(p[$0]) } }
        }
    }

    /// The rows whose value is in `lo ... hi`, compared as stored words: the bounds are moved to
    /// the column's frame once, so a row costs one load and two comparisons (the null word, all
    /// ones, lies above every bound). A range from `nullInt` takes nulls in, as the plain test does.
    func bitmap(from lo: Int64, through hi: Int64, parallelism: Parallelism) -> Bitmap {
        let base = self.base
        switch words {
        case .w1(let a) where lo != nullInt: return IntColumn.inRange(a, base, lo, hi, parallelism)
        case .w2(let a) where lo != nullInt: return IntColumn.inRange(a, base, lo, hi, parallelism)
        case .w4(let a) where lo != nullInt: return IntColumn.inRange(a, base, lo, hi, parallelism)
        default: return bitmap(parallelism: parallelism) { $0 >= lo && $0 <= hi }
        }
    }

    private static func inRange<W: FixedWidthInteger & UnsignedInteger>(_ a: [W], _ base: Int64, _ lo: Int64, _ hi: Int64,
                                                                      _ parallelism: Parallelism) -> Bitmap {
        let low = Swift.max(Int128(lo) - Int128(base), 0)
        let high = Swift.min(Int128(hi) - Int128(base), Int128(W.max) - 1)
        guard low <= high else { return Bitmap(count: a.count) }
        let l = W(low), h = W(high)
        return a.withUnsafeBufferPointer { p in Bitmap(count: p.count, parallelism: parallelism) { p[$0] >= l && p[$0] <= h } }
    }

    /// `out[i]` = the value of row `rows[i]`, for each `rows[i] >= 0` (other slots are left alone).
    public func gather(_ rows: UnsafeBufferPointer<Int32>, into out: UnsafeMutableBufferPointer<Int64>) {
        withReader { read in
            for i in 0..<rows.count where rows[i] >= 0 { out[i] = read(Int(rows[i])) }
        }
    }

    /// The values of `rows` (each in range), in their order, at this column's layout.
    public func gathering(_ rows: [Int32]) -> IntColumn {
        var c = self
        switch words {
        case .w1(let a): c.words = .w1(ColumnCompaction.gather(a, rows))
        case .w2(let a): c.words = .w2(ColumnCompaction.gather(a, rows))
        case .w4(let a): c.words = .w4(ColumnCompaction.gather(a, rows))
        case .w8(let a): c.words = .w8(ColumnCompaction.gather(a, rows))
        }
        return c
    }

    /// The smallest and largest non-null value, nil when every value is null.
    public var range: (min: Int64, max: Int64)? {
        switch words {
        case .w1(let a): IntColumn.wordRange(a, base)
        case .w2(let a): IntColumn.wordRange(a, base)
        case .w4(let a): IntColumn.wordRange(a, base)
        case .w8(let a): a.withUnsafeBufferPointer { IntegerLayout.range($0, null: nullInt) }
        }
    }

    private static func wordRange<W: FixedWidthInteger & UnsignedInteger>(_ a: [W], _ base: Int64) -> (min: Int64, max: Int64)? {
        var lo = W.max, hi = W.min
        a.withUnsafeBufferPointer { p in
            for w in p {
                let isNull = w == W.max
                lo = Swift.min(lo, isNull ? W.max : w)
                hi = Swift.max(hi, isNull ? W.min : w)
            }
        }
        return lo == W.max ? nil : (base &+ Int64(lo), base &+ Int64(hi))
    }
}

extension IntColumn: Equatable {
    public static func == (a: IntColumn, b: IntColumn) -> Bool {
        if a.base == b.base && a.width == b.width { return a.words == b.words }
        return a.count == b.count && a.elementsEqual(b)
    }
}

// Writing: in place while the value fits the layout, else the column is re-laid out first.
extension IntColumn {
    /// Whether `v` can be stored without changing the layout.
    @inline(__always)
    func fits(_ v: Int64) -> Bool {
        if v == nullInt { return true }
        let limit: UInt64
        switch words {
        case .w1: limit = UInt64(UInt8.max)
        case .w2: limit = UInt64(UInt16.max)
        case .w4: limit = UInt64(UInt32.max)
        case .w8: return true
        }
        let (offset, overflow) = v.subtractingReportingOverflow(base)
        return !overflow && offset >= 0 && UInt64(offset) < limit
    }

    public mutating func append(_ v: Int64) {
        if !fits(v) { relayout(including: v, v) }
        let base = self.base
        switch words {
        case .w1(var a): words = .w8([]); a.append(IntColumn.word(v, base)); words = .w1(a)
        case .w2(var a): words = .w8([]); a.append(IntColumn.word(v, base)); words = .w2(a)
        case .w4(var a): words = .w8([]); a.append(IntColumn.word(v, base)); words = .w4(a)
        case .w8(var a): words = .w8([]); a.append(v); words = .w8(a)
        }
    }

    public mutating func append(contentsOf values: [Int64]) {
        guard let r = values.withUnsafeBufferPointer({ IntegerLayout.range($0, null: nullInt) }) else {
            for v in values { append(v) }
            return
        }
        if !fits(r.min) || !fits(r.max) { relayout(including: r.min, r.max) }
        reserveCapacity(count + values.count)
        let base = self.base
        switch words {
        case .w1(var a): words = .w8([]); a.append(contentsOf: values.lazy.map { IntColumn.word($0, base) }); words = .w1(a)
        case .w2(var a): words = .w8([]); a.append(contentsOf: values.lazy.map { IntColumn.word($0, base) }); words = .w2(a)
        case .w4(var a): words = .w8([]); a.append(contentsOf: values.lazy.map { IntColumn.word($0, base) }); words = .w4(a)
        case .w8(var a): words = .w8([]); a.append(contentsOf: values); words = .w8(a)
        }
    }

    /// Sets every row in `rows` to `v`.
    public mutating func set(rows: [Int32], to v: Int64) {
        if rows.isEmpty { return }
        if !fits(v) { relayout(including: v, v) }
        let base = self.base
        switch words {
        case .w1(var a): words = .w8([]); IntColumn.write(&a, rows, IntColumn.word(v, base)); words = .w1(a)
        case .w2(var a): words = .w8([]); IntColumn.write(&a, rows, IntColumn.word(v, base)); words = .w2(a)
        case .w4(var a): words = .w8([]); IntColumn.write(&a, rows, IntColumn.word(v, base)); words = .w4(a)
        case .w8(var a): words = .w8([]); IntColumn.write(&a, rows, v); words = .w8(a)
        }
    }

    public mutating func set(_ row: Int, to v: Int64) { set(rows: [Int32(row)], to: v) }

    private static func write<W>(_ a: inout [W], _ rows: [Int32], _ w: W) {
        a.withUnsafeMutableBufferPointer { p in for r in rows { p[Int(r)] = w } }
    }

    /// Removes `rows` (ascending, distinct, in range), keeping the order of the rest.
    public mutating func remove(rows: [Int32]) {
        switch words {
        case .w1(var a): words = .w8([]); ColumnCompaction.remove(rows, from: &a); words = .w1(a)
        case .w2(var a): words = .w8([]); ColumnCompaction.remove(rows, from: &a); words = .w2(a)
        case .w4(var a): words = .w8([]); ColumnCompaction.remove(rows, from: &a); words = .w4(a)
        case .w8(var a): words = .w8([]); ColumnCompaction.remove(rows, from: &a); words = .w8(a)
        }
    }

    public mutating func reserveCapacity(_ n: Int) {
        switch words {
        case .w1(var a): words = .w8([]); a.reserveCapacity(n); words = .w1(a)
        case .w2(var a): words = .w8([]); a.reserveCapacity(n); words = .w2(a)
        case .w4(var a): words = .w8([]); a.reserveCapacity(n); words = .w4(a)
        case .w8(var a): words = .w8([]); a.reserveCapacity(n); words = .w8(a)
        }
    }

    @inline(__always)
    private static func word<W: FixedWidthInteger & UnsignedInteger>(_ v: Int64, _ base: Int64) -> W {
        v == nullInt ? W.max : W(truncatingIfNeeded: v &- base)
    }

    /// Re-lays the column out so that it also holds `lo ... hi`. Room is left on both sides within
    /// the width chosen, so that a run of values each just beyond the last (dates written in
    /// descending order) re-lays out a few times per width, not once per value.
    private mutating func relayout(including lo: Int64, _ hi: Int64) {
        let values = int64Array()
        var r = (min: lo, max: hi)
        if let old = range { r = (Swift.min(old.min, lo), Swift.max(old.max, hi)) }
        let layout = IntColumn.layout(for: r, slack: true)
        base = layout.base
        words = IntColumn.encode(values, layout)
    }

    /// The layout for values in `range`: the narrowest width, with half its spare room below the
    /// lowest value when `slack`.
    static func layout(for range: (min: Int64, max: Int64)?, slack: Bool) -> IntegerLayout {
        guard let range else { return IntegerLayout(width: 1, base: 0) }
        let (span, overflow) = range.max.subtractingReportingOverflow(range.min)
        if overflow { return IntegerLayout(width: 8, base: 0) }
        for width in [1, 2, 4] {
            let capacity = (UInt64(1) << UInt64(8 * width)) - 2  // largest offset; all ones is null
            guard UInt64(span) <= capacity else { continue }
            guard slack else { return IntegerLayout(width: width, base: range.min) }
            let room = Int64((capacity - UInt64(span)) / 2)
            let (base, under) = range.min.subtractingReportingOverflow(room)
            return IntegerLayout(width: width, base: under || base == nullInt ? range.min : base)
        }
        return IntegerLayout(width: 8, base: 0)
    }

    private static func encode(_ values: [Int64], _ layout: IntegerLayout) -> Words {
        let base = layout.base
        switch layout.width {
        case 1: return .w1(values.map { word($0, base) })
        case 2: return .w2(values.map { word($0, base) })
        case 4: return .w4(values.map { word($0, base) })
        default: return .w8(values)
        }
    }
}
