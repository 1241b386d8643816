/// The changes every kind of index takes in place (see `Collection+IndexUpkeep.swift` for when).
extension FieldIndex {
    /// Runs `body` on the index inside, in place: the enum lets go of it meanwhile, so that its
    /// arrays stay uniquely referenced and a change does not copy them.
    private mutating func change<R>(sorted: (inout SortedIndex) -> R, posting: (inout PostingIndex) -> R,
                                    text: (inout TextIndex) -> R) -> R {
        switch self {
        case .sorted(var s):
            self = .sorted(SortedIndex(sharing: [], rows: []))
            defer { self = .sorted(s) }
            return sorted(&s)
        case .posting(var p):
            self = .sorted(SortedIndex(sharing: [], rows: []))
            defer { self = .posting(p) }
            return posting(&p)
        case .text(var t):
            self = .sorted(SortedIndex(sharing: [], rows: []))
            defer { self = .text(t) }
            return text(&t)
        }
    }

    /// Lets go of the column a sorted index shares, before the column is written.
    mutating func releaseColumn() {
        change(sorted: { $0.releaseColumn() }, posting: { _ in }, text: { _ in })
    }

    /// Takes `rows` (distinct) out, by their values in `column` before the change (a sorted
    /// index reads them from the column it still holds). False when the index turns out stale.
    mutating func remove(_ rows: [Int32], from column: Column) -> Bool {
        change(sorted: { $0.remove(rows) },
               posting: { p in column.integers.withReader { c in p.remove(rows) { c(Int($0)) } } },
               text: { $0.remove(rows, codes: column.textColumn.codes) })
    }

    /// Gives a sorted index back its column, as changed, and puts `rows` (distinct, not in the
    /// index) in by their values there. False when the index is better built again.
    mutating func insert(_ rows: [Int32], from column: Column) -> Bool {
        change(sorted: { s in
                   s.attach(column.integers)
                   s.insert(rows)
                   return true
               },
               posting: { p in
                   column.integers.withReader { c in p.insert(rows, key: { c(Int($0)) }, records: column.count) }
               },
               text: { $0.insert(rows, column: column.textColumn) })
    }

    /// After a deletion: drops the deleted rows and renumbers the rest (`renumbered`: old row ->
    /// new row or -1); a sorted index takes the compacted `column`.
    mutating func renumber(_ renumbered: UnsafeBufferPointer<Int32>, column: Column) {
        change(sorted: { $0.renumber(renumbered, column: column.integers) },
               posting: { $0.renumber(renumbered) },
               text: { $0.postings.renumber(renumbered) })
    }
}
