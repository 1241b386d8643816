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
