/// Keeping a posting index exact while its keys change, in place: a changed row is taken out of
/// its old key's rows and put into its new key's (a binary search and a block move each), and
/// the offsets after them shift by one.
extension PostingIndex {
    /// Whether key `k` counts as a key (else the row is null), as the build decides.
    @inline(__always)
    private func isKey(_ k: Int64) -> Bool { k >= 0 && k < keyCount }

    /// Takes `changed` (distinct rows) out, `key` giving each one's key as the index has it
    /// (before the change). False when one is not found: the index is then built again.
    mutating func remove(_ changed: [Int32], key: (Int32) -> Int64) -> Bool {
        var nulls: [Int32] = [], keyed: [(slot: Int, row: Int32)] = []
        for r in changed {
            let k = key(r)
            if !isKey(k) { nulls.append(r); continue }
            guard let s = slot(k) else { return false }
            keyed.append((s, r))
        }
        nulls.sort()
        guard let nullAt = Self.positions(of: nulls, in: nullRows, within: 0..<nullRows.count, found: true) else { return false }
        RowArrayEdits.remove(at: nullAt, from: &nullRows)
        keyed.sort { $0.slot != $1.slot ? $0.slot < $1.slot : $0.row < $1.row }
        var at: [Int] = []
        at.reserveCapacity(keyed.count)
        var i = 0
        while i < keyed.count {
            var j = i
            while j < keyed.count && keyed[j].slot == keyed[i].slot { j += 1 }
            let s = keyed[i].slot
            guard let found = Self.positions(of: keyed[i..<j].map(\.row), in: rows,
                                             within: Int(offsets[s])..<Int(offsets[s + 1]), found: true) else { return false }
            at += found
            i = j
        }
        RowArrayEdits.remove(at: at, from: &rows)
        shiftOffsets(keyed.map(\.slot), by: -1)
        return true
    }

    /// Puts `added` (distinct rows, not in the index) in, `key` giving each one's key now. A key
    /// beyond the index's (a new enum value, a newly created record referred to) widens it. False
    /// when a dense index would grow beyond what a build keeps dense: it is then built again.
    mutating func insert(_ added: [Int32], key: (Int32) -> Int64, records: Int) -> Bool {
        var nulls: [Int32] = [], keyed: [(key: Int64, row: Int32)] = []
        var highest: Int64 = -1
        for r in added {
            let k = key(r)
            if k < 0 { nulls.append(r); continue }
            keyed.append((k, r))
            highest = max(highest, k)
        }
        if highest >= keyCount {
            if sparseKeys == nil {
                guard highest < IdMap.denseLimit(records: records) else { return false }
                offsets.append(contentsOf: repeatElement(offsets[offsets.count - 1], count: Int(highest) + 1 - keyCount))
            }
            keyCount = Int(highest) + 1
        }
        nulls.sort()
        let nullAt = Self.positions(of: nulls, in: nullRows, within: 0..<nullRows.count, found: false)!
        RowArrayEdits.insert(nulls, at: nullAt, into: &nullRows)
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
        if sparseKeys != nil { addSparseSlots(for: keyed.map(\.key)) }
        var at: [Int] = [], slots: [Int] = []
        at.reserveCapacity(keyed.count)
        slots.reserveCapacity(keyed.count)
        var i = 0
        while i < keyed.count {
            var j = i
            while j < keyed.count && keyed[j].key == keyed[i].key { j += 1 }
            let s = slot(keyed[i].key)!
            at += Self.positions(of: keyed[i..<j].map(\.row), in: rows, within: Int(offsets[s])..<Int(offsets[s + 1]), found: false)!
            slots += repeatElement(s, count: j - i)
            i = j
        }
        RowArrayEdits.insert(keyed.map(\.row), at: at, into: &rows)
        shiftOffsets(slots, by: 1)
        return true
    }

    /// Gives each key of `keys` (ascending) that a sparse index lacks an empty slot, in order.
    private mutating func addSparseSlots(for keys: [Int64]) {
        var missing: [Int64] = []
        for k in keys where missing.last != k && slot(k) == nil { missing.append(k) }
        if missing.isEmpty { return }
        let present = sparseKeys!
        var at: [Int] = [], from = 0
        for k in missing {
            from = RowArrayEdits.gallop(from: from, to: present.count) { present[$0] < k }
            at.append(from)
        }
        // A new slot starts where the slot now at its place starts (or at the end), empty.
        var keys: [Int64] = [], starts: [Int32] = []
        keys.reserveCapacity(present.count + missing.count)
        starts.reserveCapacity(offsets.count + missing.count)
        var j = 0
        for (k, p) in zip(missing, at) {
            while j < p {
                keys.append(present[j])
                starts.append(offsets[j])
                j += 1
            }
            keys.append(k)
            starts.append(offsets[p])
        }
        while j < present.count {
            keys.append(present[j])
            starts.append(offsets[j])
            j += 1
        }
        starts.append(offsets[present.count])
        offsets = starts
        sparseKeys = keys
    }

    /// Moves the start of every slot after each of `slots` (ascending) by `delta`: the rows of
    /// those slots grew or shrank by one each.
    private mutating func shiftOffsets(_ slots: [Int], by delta: Int32) {
        guard let first = slots.first else { return }
        offsets.withUnsafeMutableBufferPointer { o in
            var passed = 0
            for s in (first + 1)..<o.count {
                while passed < slots.count && slots[passed] < s { passed += 1 }
                o[s] += delta * Int32(passed)
            }
        }
    }

    /// Where each of `items` (ascending rows) is in `list[range]` (ascending): with `found`, the
    /// position of each (nil when one is missing); without, where each would go.
    private static func positions(of items: [Int32], in list: [Int32], within range: Range<Int>,
                                  found: Bool) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(items.count)
        var from = range.lowerBound
        for r in items {
            from = RowArrayEdits.gallop(from: from, to: range.upperBound) { list[$0] < r }
            if found && (from >= range.upperBound || list[from] != r) { return nil }
            out.append(from)
        }
        return out
    }

    /// After rows are deleted: drops theirs and renumbers the rest (`renumbered` maps an old row
    /// to its new one, -1 for a deleted one); each key's rows stay ascending.
    mutating func renumber(_ renumbered: UnsafeBufferPointer<Int32>) {
        var write = 0
        rows.withUnsafeMutableBufferPointer { r in
            offsets.withUnsafeMutableBufferPointer { o in
                var start = 0
                for s in 0..<(o.count - 1) {
                    let end = Int(o[s + 1])
                    o[s] = Int32(write)
                    for read in start..<end {
                        let m = renumbered[Int(r[read])]
                        if m >= 0 {
                            r[write] = m
                            write += 1
                        }
                    }
                    start = end
                }
                o[o.count - 1] = Int32(write)
            }
        }
        rows.removeLast(rows.count - write)
        RowArrayEdits.renumber(&nullRows, renumbered)
    }
}
