/// Keeping a collection's indexes exact through its changes, in place, instead of dropping them
/// for `Database.buildIndexes` to build again (0.1-0.3 s at a million rows): a changed row
/// leaves its old place and takes its new one in each index the change touches, at the cost of
/// a binary search and a block move; a deletion renumbers the rows left in one pass.
///
/// A change of most of the rows drops the indexes instead: building them again sorts once,
/// on all cores, and only the indexes a later statement needs.
extension Collection {
    /// An index taken out of the collection while its column changes.
    struct HeldIndex {
        var field: Int
        var index: FieldIndex
    }

    /// Whether a change of `changed` of `rows` rows keeps the indexes it touches in place
    /// (else they are dropped): above a quarter of the rows, a build from scratch costs about
    /// as much as the change would, and waits until a statement needs the index.
    static func keepsIndexes(changing changed: Int, of rows: Int) -> Bool {
        changed <= 1024 || changed <= rows / 4
    }

    /// Takes every index out for a change of `changed` rows, each sorted index letting go of its
    /// column; or drops them all when the change is too large to follow.
    mutating func takeIndexes(changing changed: Int) -> [HeldIndex] {
        if indexes.isEmpty { return [] }
        guard Self.keepsIndexes(changing: changed, of: count) else {
            indexes.removeAll()
            return []
        }
        var held: [HeldIndex] = []
        for f in indexes.keys.sorted() {
            guard var index = indexes.removeValue(forKey: f) else { continue }
            index.releaseColumn()
            held.append(HeldIndex(field: f, index: index))
        }
        return held
    }

    /// Puts the held indexes back with `rows` (appended, distinct) put in from the columns now.
    mutating func putBack(_ held: inout [HeldIndex], inserting rows: [Int32]) {
        // Popped, not iterated: each index leaves the array, so its storage stays unique.
        while var h = held.popLast() {
            if h.index.insert(rows, from: columns[h.field]) { indexes[h.field] = h.index }
        }
    }

    /// Sets field `field` of `rows` with `write`, keeping its index exact when the change is
    /// small enough (else it is dropped).
    mutating func changeRows(_ field: Int, _ rows: [Int32], _ write: (inout Column) -> Void) {
        guard var index = indexes.removeValue(forKey: field), Self.keepsIndexes(changing: rows.count, of: count) else {
            write(&columns[field])
            return
        }
        let distinct = Self.distinct(rows)
        let taken = index.remove(distinct, from: columns[field])
        index.releaseColumn()
        write(&columns[field])
        if taken && index.insert(distinct, from: columns[field]) { indexes[field] = index }
    }

    /// Removes `rows` (ascending, distinct) from every column with `remove`, renumbering the
    /// indexes, or dropping them when most rows go.
    mutating func deleteRows(_ rows: [Int32], _ remove: (inout Collection) -> Void) {
        let before = count
        var held = takeIndexes(changing: rows.count)
        remove(&self)
        if held.isEmpty { return }
        var renumbered = [Int32](repeating: 0, count: before)
        renumbered.withUnsafeMutableBufferPointer { map in
            var next = 0, gone: Int32 = 0
            for r in 0..<before {
                if next < rows.count && Int(rows[next]) == r {
                    map[r] = -1
                    next += 1
                    gone += 1
                } else {
                    map[r] = Int32(r) - gone
                }
            }
        }
        renumbered.withUnsafeBufferPointer { map in
            while var h = held.popLast() {
                h.index.renumber(map, column: columns[h.field])
                indexes[h.field] = h.index
            }
        }
    }

    /// `rows` ascending and without repeats (as given, when they are already).
    static func distinct(_ rows: [Int32]) -> [Int32] {
        if zip(rows, rows.dropFirst()).allSatisfy({ $0 < $1 }) { return rows }
        var sorted = rows.sorted()
        var write = 0
        for r in sorted where write == 0 || sorted[write - 1] != r {
            sorted[write] = r
            write += 1
        }
        sorted.removeLast(sorted.count - write)
        return sorted
    }
}
