/// A dictionary-encoded text column: each row holds a code into `dictionary`, -1 for null.
///
/// CRM text repeats a lot (industries, cities, titles, first names), so predicates run once per
/// distinct value and then as a tight loop over integer codes.
public struct TextColumn: Sendable {
    public private(set) var codes: [Int32] = []
    public private(set) var dictionary = TextDictionary()
    /// Text -> code, for interning. A column read from a snapshot starts without it: hashing
    /// millions of strings would cost more than the rest of loading, and only a change needs it.
    /// While every entry is `UTF8Key.isCanonical`, the lookup is by bytes (`byBytes`, codes
    /// hashed by the dictionary's own bytes): Swift's own string hashing normalizes as it goes,
    /// and a `String` key per entry costs more memory than its text. The first entry that is not
    /// switches the column to `lookup`, by Swift's equality, for good.
    private var byBytes = TextLookup()
    private var lookup: [String: Int32] = [:]
    private var lookupBuilt = true
    private var bytesOnly = true

    public init() {}

    /// A column as a snapshot stores it. The caller has checked that every code is -1 or an index
    /// into `dictionary`.
    public init(codes: [Int32], dictionary: TextDictionary) {
        self.codes = codes
        self.dictionary = dictionary
        self.lookupBuilt = dictionary.isEmpty
    }

    public init(codes: [Int32], dictionary: [String]) {
        self.init(codes: codes, dictionary: TextDictionary(dictionary))
    }

    public var count: Int { codes.count }

    public subscript(row: Int) -> String? {
        let c = codes[row]
        return c < 0 ? nil : dictionary[Int(c)]
    }

    /// The code of `text`, adding it to the dictionary when new.
    public mutating func intern(_ text: String) -> Int32 {
        if !lookupBuilt { buildLookup() }
        if bytesOnly {
            var t = text
            if let c = t.withUTF8({ internBytes($0) }) { return c }
        }
        if let c = lookup[text] { return c }
        let c = Int32(dictionary.count)
        dictionary.append(text)
        lookup[text] = c
        return c
    }

    /// The code of the text spelled `bytes`, in a bytes-only column, adding it when new; nil when
    /// it is new and not canonical, having switched the column to `lookup` (the caller interns
    /// it as a `String` then). A text found needs no check: it is spelled as a canonical entry.
    @inline(__always)
    private mutating func internBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let (code, added) = byBytes.intern(bytes, next: Int32(dictionary.count), in: dictionary)
        if !added { return code }
        if UTF8Key.isCanonical(bytes) {
            dictionary.append(utf8: bytes)
            return code
        }
        // The table holds `code` for no entry now; it is dropped.
        bytesOnly = false
        byBytes = TextLookup()
        buildLookup()
        return nil
    }

    private mutating func buildLookup() {
        lookupBuilt = true
        if bytesOnly && dictionary.indices.allSatisfy({ dictionary.withUTF8($0, UTF8Key.isCanonical) }) {
            byBytes.reserve(dictionary.count)
            // The first of equal entries wins, as interning would have made it.
            for i in dictionary.indices {
                _ = dictionary.withUTF8(i) { byBytes.intern($0, next: Int32(i), in: dictionary) }
            }
            return
        }
        bytesOnly = false
        lookup.reserveCapacity(dictionary.count)
        for (i, text) in dictionary.enumerated() where lookup[text] == nil { lookup[text] = Int32(i) }
    }

    public mutating func append(_ text: String?) {
        codes.append(text.map { intern($0) } ?? -1)
    }

    /// Appends a run of texts (an import's column) as `append` would.
    mutating func append(interning texts: [String?]) {
        append(interning: TextRun(texts))
    }

    /// Appends a run of texts as `append` would, each straight from its bytes while the column
    /// is bytes-only (no `String` made, each text hashed once).
    mutating func append(interning run: TextRun) {
        if !lookupBuilt { buildLookup() }
        codes.reserveCapacity(codes.count + run.count)
        if bytesOnly { reserve(forMostlyDistinct: run) }
        run.bytes.withUnsafeBufferPointer { all in
            var start = 0
            for e in run.ends {
                guard e >= 0 else {
                    codes.append(-1)
                    continue
                }
                let bytes = UnsafeBufferPointer(rebasing: all[start..<e])
                start = e
                if bytesOnly, let c = internBytes(bytes) {
                    codes.append(c)
                } else {
                    codes.append(intern(String(decoding: bytes, as: UTF8.self)))
                }
            }
        }
    }

    /// Sizes the lookup and the dictionary's bytes at once for a run of mostly distinct texts
    /// (names), judged on its first 1024, so that a million new ones are not hashed and copied
    /// again each time they grow.
    private mutating func reserve(forMostlyDistinct run: TextRun) {
        let sample = min(1024, run.count)
        var seen = TextLookup()
        for i in 0..<sample where !run.isNull(i) {
            _ = run.withUTF8(i) { seen.intern($0, next: Int32(i), in: run) }
        }
        guard seen.count * 2 > sample else { return }
        reserveDistinct(run.count * seen.count / sample)
        dictionary.reserveBytes(dictionary.bytes.count + run.bytes.count * seen.count / sample)
    }

    public mutating func set(_ row: Int, _ text: String?) {
        codes[row] = text.map { intern($0) } ?? -1
    }

    /// Sets every row in `rows` to `text`, interning it once.
    public mutating func set(rows: [Int32], _ text: String?) {
        let code = text.map { intern($0) } ?? -1
        codes.withUnsafeMutableBufferPointer { c in
            for r in rows { c[Int(r)] = code }
        }
    }

    /// Removes the rows in `rows` (ascending, distinct, in range). Dictionary entries stay, so
    /// codes held elsewhere keep their meaning; `compacted()` drops the unused ones when saving.
    public mutating func remove(rows: [Int32]) {
        ColumnCompaction.remove(rows, from: &codes)
    }

    public mutating func reserve(_ n: Int) { codes.reserveCapacity(n) }

    /// Room for `n` more distinct texts in the lookup, so that a million new ones are not hashed
    /// again each time it grows.
    mutating func reserveDistinct(_ n: Int) {
        if !lookupBuilt { buildLookup() }
        if bytesOnly { byBytes.reserve(byBytes.count + n) } else { lookup.reserveCapacity(lookup.count + n) }
    }

    /// Exact (case-sensitive) code lookup, without adding.
    public func code(of text: String) -> Int32? {
        if lookupBuilt && !bytesOnly { return lookup[text] }
        // Bytes find only a text spelled as the entry is; another spelling of it is looked for by equality.
        if lookupBuilt && UTF8Key.isCanonical(text) {
            var t = text
            let c = t.withUTF8 { byBytes.code(of: $0, in: dictionary) }
            return c < dictionary.count ? Int32(c) : nil
        }
        return dictionary.firstIndex(of: text).map { Int32($0) }
    }

    /// The codes and dictionary with the entries no row uses left out (after updates and deletes),
    /// entries keeping their relative order; the column itself when every entry is used.
    public func compacted() -> (codes: [Int32], dictionary: TextDictionary) {
        var used = [Bool](repeating: false, count: dictionary.count)
        var usedCount = 0
        for c in codes where c >= 0 && !used[Int(c)] {
            used[Int(c)] = true
            usedCount += 1
        }
        if usedCount == dictionary.count { return (codes, dictionary) }
        var newCode = [Int32](repeating: -1, count: dictionary.count)
        var kept = TextDictionary()
        kept.reserveCapacity(usedCount)
        for i in dictionary.indices where used[i] {
            newCode[i] = Int32(kept.count)
            kept.append(dictionary[i])
        }
        let remapped = codes.map { $0 < 0 ? -1 : newCode[Int($0)] }
        return (remapped, kept)
    }
}

/// Removing rows from a column array in place, in one pass; picking rows into a new one.
enum ColumnCompaction {
    /// `values[rows[i]]` for each i, written once (no zero fill first: a slice of millions of rows
    /// is mostly memory traffic).
    static func gather<T: BitwiseCopyable>(_ values: [T], _ rows: [Int32]) -> [T] {
        values.withUnsafeBufferPointer { src in
            rows.withUnsafeBufferPointer { rows in
                [T](unsafeUninitializedCapacity: rows.count) { dst, initialized in
                    for i in 0..<rows.count { (dst.baseAddress! + i).initialize(to: src[Int(rows[i])]) }
                    initialized = rows.count
                }
            }
        }
    }

    /// Removes the elements at `rows` (ascending, distinct, in range) from `values`, keeping the
    /// order of the rest.
    static func remove<T>(_ rows: [Int32], from values: inout [T]) {
        guard let first = rows.first else { return }
        values.withUnsafeMutableBufferPointer { v in
            var write = Int(first)
            var next = 0
            for read in Int(first)..<v.count {
                if next < rows.count, Int(rows[next]) == read {
                    next += 1
                    continue
                }
                v[write] = v[read]
                write += 1
            }
        }
        values.removeLast(rows.count)
    }
}
