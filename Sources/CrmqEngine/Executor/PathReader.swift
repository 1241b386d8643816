/// Reads a bound path's value for rows of its root collection, following references.
/// A path through an empty or dangling reference reads as null.
public struct PathReader: Sendable {
    public let path: BoundPath
    /// For each hop: the reference column, and the target collection's id -> row table.
    private let hops: [(refs: [Int64], rowOfId: [Int32])]
    public let column: Column
    public let enumValues: [String]

    public init(_ path: BoundPath, in db: Database) {
        self.path = path
        self.hops = path.hops.map { hop in
            let source = db[hop.entity]
            guard case .reference(let target) = source.entity.fields[hop.field].type else {
                preconditionFailure("the binder only lets references be followed")
            }
            return (source.columns[hop.field].integers, db[target].rowOfId)
        }
        self.column = db[path.field.entity].columns[path.field.field]
        if case .enumeration(let name) = path.type { enumValues = db.schema.enumValues(name) } else { enumValues = [] }
    }

    /// The row in the final collection that a root row leads to, or nil through a null reference.
    @inline(__always)
    public func finalRow(_ row: Int) -> Int? {
        var r = row
        for hop in hops {
            let id = hop.refs[r]
            guard id >= 0, id < hop.rowOfId.count else { return nil }
            let next = hop.rowOfId[Int(id)]
            guard next >= 0 else { return nil }
            r = Int(next)
        }
        return r
    }

    public var isDirect: Bool { hops.isEmpty }

    /// The stored integer (or text code) for a root row; `nullInt` for null.
    @inline(__always)
    public func stored(_ row: Int) -> Int64 {
        guard let r = finalRow(row) else { return nullInt }
        switch column {
        case .integers(let a): return a[r]
        case .text(let t): let c = t.codes[r]; return c < 0 ? nullInt : Int64(c)
        }
    }

    /// The value for output.
    public func value(_ row: Int) -> Value {
        let s = stored(row)
        return decode(s)
    }

    /// Turns a stored integer (or text code) of this path into a value.
    public func decode(_ s: Int64) -> Value {
        if s == nullInt { return .null }
        switch path.type {
        case .text: return .text(column.textColumn.dictionary[Int(s)])
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
