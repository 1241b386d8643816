/// Reads a bound path's value for rows of its root collection, following references.
/// A path through an empty or dangling reference reads as null.
///
/// The final column is held directly (not behind the `Column` enum), so reading a value in a loop
/// costs no pattern match and no retain; many rows at once go through `gather`, one loop per width.
/// Everything sits behind one immutable reference (`Parts`): a result reads its cells through
/// `readers[column]`, which copies the reader for each cell, and a copy of these fields would be
/// a dozen retains and releases (most of the cost of writing a large result); of `Parts`, one.
public struct PathReader: Sendable {
    private let parts: Parts

    private final class Parts: Sendable {
        let path: BoundPath
        /// For each hop: the reference column, and the target collection's id -> row map.
        let hopRefs: [IntColumn]
        let hopIdMaps: [IdMap]
        let column: Column
        let integers: IntColumn
        let codes: [Int32]
        let isText: Bool
        /// The text column's values by code, held directly: decoding a cell then costs no retain of the column.
        let dictionary: TextDictionary
        let enumValues: [String]

        init(_ path: BoundPath, in db: Database) {
            self.path = path
            var refs: [IntColumn] = [], tables: [IdMap] = []
            for hop in path.hops {
                let step = ReferenceHop(hop, in: db)
                refs.append(step.refs)
                tables.append(step.targetMap)
            }
            hopRefs = refs
            hopIdMaps = tables
            column = db[path.field.entity].columns[path.field.field]
            switch column {
            case .integers(let a): integers = a; codes = []; isText = false; dictionary = []
            case .text(let t): integers = []; codes = t.codes; isText = true; dictionary = t.dictionary
            }
            if case .enumeration(let name) = path.type { enumValues = db.schema.enumValues(name) } else { enumValues = [] }
        }
    }

    public init(_ path: BoundPath, in db: Database) { parts = Parts(path, in: db) }

    public var path: BoundPath { parts.path }
    public var column: Column { parts.column }
    public var enumValues: [String] { parts.enumValues }
    private var hopRefs: [IntColumn] { parts.hopRefs }
    private var hopIdMaps: [IdMap] { parts.hopIdMaps }
    private var integers: IntColumn { parts.integers }
    private var codes: [Int32] { parts.codes }
    private var isText: Bool { parts.isText }
    private var dictionary: TextDictionary { parts.dictionary }

    public var isDirect: Bool { hopRefs.isEmpty }

    /// The row in the final collection that a root row leads to, or nil through a null reference.
    @inline(__always)
    public func finalRow(_ row: Int) -> Int? {
        var r = row
        for h in 0..<hopRefs.count {
            // A reference to a deleted record, or to an id beyond every table, reads as null.
            let next = hopIdMaps[h].row(hopRefs[h][r])
            guard next >= 0 else { return nil }
            r = Int(next)
        }
        return r
    }

    /// The stored integer (or text code) for a root row; `nullInt` for null.
    @inline(__always)
    public func stored(_ row: Int) -> Int64 {
        guard let r = finalRow(row) else { return nullInt }
        if isText {
            let c = codes[r]
            return c < 0 ? nullInt : Int64(c)
        }
        return integers[r]
    }

    /// The stored values (or text codes) of many root rows at once; `nullInt` for null.
    public func gather(_ rows: [Int32]) -> [Int64] {
        var finals = rows
        for h in 0..<hopRefs.count {
            let map = hopIdMaps[h]
            hopRefs[h].withReader { refs in
                map.dense.withUnsafeBufferPointer { table in
                    finals.withUnsafeMutableBufferPointer { f in
                        for i in 0..<f.count where f[i] >= 0 {
                            f[i] = map.row(refs(Int(f[i])), dense: table)
                        }
                    }
                }
            }
        }
        var out = [Int64](repeating: nullInt, count: rows.count)
        out.withUnsafeMutableBufferPointer { o in
            finals.withUnsafeBufferPointer { f in
                if isText {
                    codes.withUnsafeBufferPointer { c in
                        for i in 0..<f.count where f[i] >= 0 {
                            let code = c[Int(f[i])]
                            if code >= 0 { o[i] = Int64(code) }
                        }
                    }
                } else {
                    integers.gather(f, into: o)
                }
            }
        }
        return out
    }

    /// The stored values of every row of the root collection: for a direct integer field, the
    /// column widened.
    public func gatherAll(count: Int) -> [Int64] {
        if hopRefs.isEmpty && !isText { return integers.int64Array() }
        return gather(RowSelector.all(count))
    }

    /// Gathers for `rows`, or for every row when `rows` is nil.
    func gather(_ rows: [Int32]?, count: Int) -> [Int64] {
        rows.map { gather($0) } ?? gatherAll(count: count)
    }

    /// The value for output.
    public func value(_ row: Int) -> Value {
        decode(stored(row))
    }

    /// Calls `body` with the UTF-8 of a text field's value for a root row, in place in the column's
    /// dictionary; nil for null and for fields of other types (an enumeration's value included).
    @inline(__always)
    public func withUTF8<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        guard isText, case .text = path.type else { return nil }
        let s = stored(row)
        return s == nullInt ? nil : try dictionary.withUTF8(Int(s), body)
    }

    /// Turns a stored integer (or text code) of this path into a value.
    public func decode(_ s: Int64) -> Value {
        if s == nullInt { return .null }
        switch path.type {
        case .text: return .text(dictionary[Int(s)])
        case .int, .reference: return .int(s)
        case .money: return .money(s)
        case .percent: return .percent(s)
        case .bool: return .bool(s != 0)
        case .date: return .date(s)
        case .datetime: return .datetime(s)
        case .enumeration: return s >= 0 && Int(s) < enumValues.count ? .text(enumValues[Int(s)]) : .null
        }
    }
}
