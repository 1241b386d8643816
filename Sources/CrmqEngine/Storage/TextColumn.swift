/// A dictionary-encoded text column: each row holds a code into `dictionary`, -1 for null.
///
/// CRM text repeats a lot (industries, cities, titles, first names), so predicates run once per
/// distinct value and then as a tight loop over integer codes.
public struct TextColumn: Sendable {
    public private(set) var codes: [Int32] = []
    public private(set) var dictionary = TextDictionary()
    /// Text -> code, for interning. A column read from a snapshot starts without it: hashing
    /// millions of strings would cost more than the rest of loading, and only a change needs it.
    /// While every entry is `UTF8Key.isCanonical`, the lookup is by bytes (`byBytes`): Swift's own
    /// string hashing normalizes as it goes, and a million-row import spent seconds in it. The
    /// first entry that is not switches the column to `lookup`, by Swift's equality, for good.
    private var byBytes: [UTF8Key: Int32] = [:]
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
            if UTF8Key.isCanonical(text) {
                let key = UTF8Key(text)
                if let c = byBytes[key] { return c }
                let c = Int32(dictionary.count)
                dictionary.append(text)
                byBytes[key] = c
                return c
            }
            bytesOnly = false
            byBytes = [:]
            buildLookup()
        }
        if let c = lookup[text] { return c }
        let c = Int32(dictionary.count)
        dictionary.append(text)
        lookup[text] = c
        return c
    }

    private mutating func buildLookup() {
        lookupBuilt = true
        if bytesOnly && dictionary.allSatisfy(UTF8Key.isCanonical) {
            byBytes.reserveCapacity(dictionary.count)
            for (i, text) in dictionary.enumerated() where byBytes[UTF8Key(text)] == nil { byBytes[UTF8Key(text)] = Int32(i) }
            return
        }
        bytesOnly = false
        lookup.reserveCapacity(dictionary.count)
        // The first of equal entries wins, as interning would have made it.
        for (i, text) in dictionary.enumerated() where lookup[text] == nil { lookup[text] = Int32(i) }
    }

    public mutating func append(_ text: String?) {
        codes.append(text.map { intern($0) } ?? -1)
    }

    /// Appends a run of texts (an import's column) as `append` would, each new text hashed once.
    mutating func append(interning texts: [String?]) {
        if !lookupBuilt { buildLookup() }
        codes.reserveCapacity(codes.count + texts.count)
        for text in texts {
            guard let text else {
                codes.append(-1)
                continue
            }
            guard bytesOnly && UTF8Key.isCanonical(text) else {
                codes.append(intern(text))
                continue
            }
            // Found or added in one probe: the defaulted entry stays in when it was missing.
            let next = Int32(dictionary.count)
            let code = TextColumn.read(&byBytes[UTF8Key(text), default: next])
            if code == next { dictionary.append(text) }
            codes.append(code)
        }
    }

    /// Appends a run of texts as `append` would.
    mutating func append(interning run: TextRun) {
        var texts: [String?] = []
        texts.reserveCapacity(run.count)
        for i in 0..<run.count { texts.append(run[i]) }
        // Mostly distinct texts (names): the lookup is sized for them at once.
        let sample = texts.prefix(1024)
        let seen = Set(sample.compactMap { $0.map(UTF8Key.init) })
        if seen.count * 2 > sample.count { reserveDistinct(run.count * seen.count / max(1, sample.count)) }
        append(interning: texts)
    }

    private static func read(_ code: inout Int32) -> Int32 { code }

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
        if bytesOnly { byBytes.reserveCapacity(byBytes.count + n) } else { lookup.reserveCapacity(lookup.count + n) }
    }

    /// Exact (case-sensitive) code lookup, without adding.
    public func code(of text: String) -> Int32? {
        if lookupBuilt && !bytesOnly { return lookup[text] }
        // Bytes find only a text spelled as the entry is; another spelling of it is looked for by equality.
        if lookupBuilt && UTF8Key.isCanonical(text) { return byBytes[UTF8Key(text)] }
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
