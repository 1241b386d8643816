/// Keeping a sorted index exact while its column changes, in place: a changed row is taken out at
/// its old place and put in at its new one (a binary search and a block move each), rather than
/// sorting every row again.
///
/// The index shares its column's storage; writing to a shared array would copy all of it, so the
/// caller takes the rows out while the column still holds their old values, then lets the index
/// release the column, writes it, and hands it back with the rows to put in
/// (`Collection+IndexUpkeep.swift`).
extension SortedIndex {
    init(sharing column: IntColumn, rows: [Int32]) {
        self.column = column
        self.rows = rows
    }

    /// Lets go of the column, so that the column can change without being copied.
    mutating func releaseColumn() { column = [] }

    /// Takes the column back, as it is after a change.
    mutating func attach(_ column: IntColumn) { self.column = column }

    /// Whether the entry at position `p` sorts before `(v, row)`: values ascending, equal values
    /// by row.
    @inline(__always)
    private func isBelow(_ p: Int, _ v: Int64, _ row: Int32) -> Bool {
        let w = value(at: p)
        return w != v ? w < v : rows[p] < row
    }

    /// The sorted positions of `items` (each with its value), searched one after the other from
    /// the last one found, so that many items cost one pass, and few a binary search each.
    private func positions(of items: [(value: Int64, row: Int32)]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(items.count)
        var from = 0
        for item in items {
            from = RowArrayEdits.gallop(from: from, to: rows.count) { isBelow($0, item.value, item.row) }
            out.append(from)
        }
        return out
    }

    private func entries(_ changed: [Int32]) -> [(value: Int64, row: Int32)] {
        var items: [(value: Int64, row: Int32)] = []
        items.reserveCapacity(changed.count)
        for r in changed where column[Int(r)] != nullInt { items.append((column[Int(r)], r)) }
        items.sort { $0.value != $1.value ? $0.value < $1.value : $0.row < $1.row }
        return items
    }

    /// Takes `changed` (distinct rows) out, by the values the attached column holds for them now
    /// (before the change). False when one is not where its value puts it: the index is not
    /// to be trusted then, and is built again.
    mutating func remove(_ changed: [Int32]) -> Bool {
        let items = entries(changed)
        let at = positions(of: items)
        for (p, item) in zip(at, items) where p >= rows.count || rows[p] != item.row { return false }
        RowArrayEdits.remove(at: at, from: &rows)
        return true
    }

    /// Puts `added` (distinct rows, not in the index) in, by their values in the attached column.
    mutating func insert(_ added: [Int32]) {
        let items = entries(added)
        RowArrayEdits.insert(items.map(\.row), at: positions(of: items), into: &rows)
    }

    /// After rows are deleted: drops theirs and renumbers the rest (`renumbered` maps an old row
    /// to its new one, -1 for a deleted one), then takes the compacted column. The order by
    /// (value, row) survives, since renumbering keeps the order of rows.
    mutating func renumber(_ renumbered: UnsafeBufferPointer<Int32>, column: IntColumn) {
        RowArrayEdits.renumber(&rows, renumbered)
        self.column = column
    }
}
