/// Accumulators per group: dense slots when every group path has a small domain, hashed otherwise.
struct GroupTable {
    let calls: Int
    private let columns: [GroupColumn]
    /// For dense grouping: each path's domain size (the last slot of each is null).
    private let domains: [Int]?
    private var slotOfKey: [GroupKey: Int] = [:]
    private var keyOfSlot: [[Int64]] = []
    private var denseUsed: [Bool] = []

    var rows: [Int] = []
    var counts: [Int] = []
    var sums: [Int128] = []
    var mins: [Int128] = []
    var maxs: [Int128] = []

    init(calls: Int, columns: [GroupColumn]) {
        self.calls = calls
        self.columns = columns
        var domains: [Int]? = []
        var total = 1
        for c in columns {
            guard let size = c.domain, total * size <= 1 << 20 else { domains = nil; break }
            total *= size
            domains?.append(size)
        }
        self.domains = domains
        if domains != nil { grow(to: total) }
    }

    private mutating func grow(to slots: Int) {
        rows.append(contentsOf: repeatElement(0, count: slots - rows.count))
        denseUsed.append(contentsOf: repeatElement(false, count: slots - denseUsed.count))
        let n = slots * calls
        counts.append(contentsOf: repeatElement(0, count: n - counts.count))
        sums.append(contentsOf: repeatElement(0, count: n - sums.count))
        mins.append(contentsOf: repeatElement(Int128.max, count: n - mins.count))
        maxs.append(contentsOf: repeatElement(Int128.min, count: n - maxs.count))
    }

    /// Every selected row's group slot.
    mutating func slots(count: Int, cancellation: Cancellation) throws(Diagnostic) -> [Int32] {
        let keys = columns.map(\.keys)
        var slots = [Int32](repeating: 0, count: count)
        if let domains {
            var scale = 1
            for (k, size) in domains.enumerated() {
                keys[k].withUnsafeBufferPointer { key in
                    slots.withUnsafeMutableBufferPointer { out in
                        for i in 0..<out.count {
                            let v = key[i]
                            out[i] += Int32((v == nullInt ? size - 1 : Int(v)) * scale)
                        }
                    }
                }
                scale *= size
            }
            // One pass: rows per slot; a slot is used when it has rows.
            self.rows.withUnsafeMutableBufferPointer { r in
                for s in slots { r[Int(s)] &+= 1 }
            }
            for i in 0..<denseUsed.count where self.rows[i] > 0 { denseUsed[i] = true }
            return slots
        }
        var buffer = [Int64](repeating: 0, count: keys.count)
        for i in 0..<count {
            if i & Cancellation.blockMask == 0 { try cancellation.check() }
            for k in 0..<keys.count { buffer[k] = keys[k][i] }
            let key = GroupKey(buffer)
            if let s = slotOfKey[key] {
                slots[i] = Int32(s)
                self.rows[s] += 1
            } else {
                let s = keyOfSlot.count
                slotOfKey[key] = s
                keyOfSlot.append(buffer)
                grow(to: s + 1)
                slots[i] = Int32(s)
                self.rows[s] += 1
            }
        }
        return slots
    }

    /// The most common shape in one pass over the columns, with no slot array: at most one group
    /// path with a small domain, and counts or sums of plain fields (`count, sum value of
    /// opportunities by stage`). Returns false when the query has another shape. Large inputs are
    /// cut into chunks counted and summed on the cores, each into its own small arrays, then added.
    mutating func fusedPass(count: Int, inputs: [CallInput], functions: [AggregateFunction],
                            parallelism: Parallelism = .serial) -> Bool {
        guard columns.count <= 1, let domains,
              functions.allSatisfy({ $0 == .count || $0 == .sum }) else { return false }
        var columns: [[Int64]] = []
        for input in inputs {
            switch input.values {
            case .none: columns.append([])
            case .integers(let v): columns.append(v)
            case .exact: return false
            }
        }
        let key = self.columns.first?.keys
        let size = domains.first ?? 1
        let calls = self.calls
        // Per chunk: rows per slot, then each summed column's Int64 sums (nil when one overflowed).
        let parts = try? parallelism.map(count) { (range: Range<Int>) throws(Diagnostic) -> (rows: [Int], sums: [[Int64]?]) in
            var rows = [Int](repeating: 0, count: size)
            var sums: [[Int64]?] = []
            rows.withUnsafeMutableBufferPointer { r in
                if let key {
                    key.withUnsafeBufferPointer { GroupKernels.countSlots($0, range, nullSlot: size - 1, into: r) }
                } else {
                    r[0] = range.count
                }
            }
            for column in columns {
                if column.isEmpty { sums.append(nil); continue }
                var sum = [Int64](repeating: 0, count: size)
                let ok = sum.withUnsafeMutableBufferPointer { out in
                    column.withUnsafeBufferPointer { v in
                        if let key {
                            key.withUnsafeBufferPointer { GroupKernels.sumSlots(v, by: $0, range, nullSlot: size - 1, into: out) }
                        } else {
                            GroupKernels.sumAll(v, range, into: &out[0])
                        }
                    }
                }
                sums.append(ok ? sum : nil)
            }
            return (rows, sums)
        }
        guard let parts else { return false }
        for part in parts {
            for slot in 0..<size { self.rows[slot] += part.rows[slot] }
        }
        for (c, column) in columns.enumerated() where !column.isEmpty {
            var exact = [Int128](repeating: 0, count: size)
            if parts.allSatisfy({ $0.sums[c] != nil }) {
                for part in parts { for slot in 0..<size { exact[slot] += Int128(part.sums[c]![slot]) } }
            } else {
                // An Int64 sum overflowed: sum again in Int128 (rare: far beyond any stored money).
                for (i, x) in column.enumerated() where x != nullInt {
                    let kv = key?[i] ?? 0
                    exact[kv == nullInt ? size - 1 : Int(kv)] += Int128(x)
                }
            }
            for slot in 0..<size { sums[slot * calls + c] = exact[slot] }
        }
        for i in 0..<denseUsed.count where self.rows[i] > 0 { denseUsed[i] = true }
        return true
    }

    /// Adds another table's groups (the same calls and group paths, over other rows) to this one.
    mutating func merge(_ other: GroupTable) {
        if domains != nil {
            for s in rows.indices {
                rows[s] += other.rows[s]
                if other.denseUsed[s] { denseUsed[s] = true }
            }
            for j in counts.indices { add(other, j, into: j) }
            return
        }
        for (s, key) in other.keyOfSlot.enumerated() {
            let k = GroupKey(key)
            let t: Int
            if let known = slotOfKey[k] { t = known } else {
                t = keyOfSlot.count
                slotOfKey[k] = t
                keyOfSlot.append(key)
                grow(to: t + 1)
            }
            rows[t] += other.rows[s]
            for c in 0..<calls { add(other, s * calls + c, into: t * calls + c) }
        }
    }

    @inline(__always)
    private mutating func add(_ other: GroupTable, _ j: Int, into i: Int) {
        counts[i] += other.counts[j]
        sums[i] += other.sums[j]
        if other.mins[j] < mins[i] { mins[i] = other.mins[j] }
        if other.maxs[j] > maxs[i] { maxs[i] = other.maxs[j] }
    }

    /// The single group of an ungrouped aggregate over no rows (count 0, sum 0).
    mutating func addEmptyGroup() {
        if domains != nil { denseUsed[0] = true; return }
        slotOfKey[GroupKey([])] = 0
        keyOfSlot.append([])
        grow(to: 1)
    }

    /// Adds one aggregate's values into the groups' accumulators: only what the function needs.
    mutating func accumulate(_ input: CallInput, _ function: AggregateFunction, call c: Int, slots: [Int32]) {
        let calls = self.calls
        switch input.values {
        case .none:
            return
        case .integers(let values):
            if function == .sum || function == .avg {
                // Int64 sums with an overflow check; on overflow, sum again in Int128.
                var small = [Int64](repeating: 0, count: counts.count)
                var overflow = false
                let counting = function == .avg
                counts.withUnsafeMutableBufferPointer { n in
                    small.withUnsafeMutableBufferPointer { sum in
                        values.withUnsafeBufferPointer { v in
                            slots.withUnsafeBufferPointer { sl in
                                for i in 0..<sl.count {
                                    let raw = v[i]
                                    if raw == nullInt { continue }
                                    let j = Int(sl[i]) * calls + c
                                    if counting { n[j] &+= 1 }
                                    let (s, o) = sum[j].addingReportingOverflow(raw)
                                    sum[j] = s
                                    overflow = overflow || o
                                }
                            }
                        }
                    }
                }
                if !overflow {
                    for j in stride(from: c, to: small.count, by: calls) { sums[j] = Int128(small[j]) }
                    return
                }
                for (i, s) in slots.enumerated() where values[i] != nullInt { sums[Int(s) * calls + c] += Int128(values[i]) }
                return
            }
            counts.withUnsafeMutableBufferPointer { n in
                mins.withUnsafeMutableBufferPointer { lo in
                    maxs.withUnsafeMutableBufferPointer { hi in
                        values.withUnsafeBufferPointer { v in
                            for (i, s) in slots.enumerated() {
                                let raw = v[i]
                                if raw == nullInt { continue }
                                let j = Int(s) * calls + c
                                let x = Int128(raw)
                                n[j] += 1
                                if x < lo[j] { lo[j] = x }
                                if x > hi[j] { hi[j] = x }
                            }
                        }
                    }
                }
            }
        case .exact(let batchValues, let batchValid):
            for (i, s) in slots.enumerated() where batchValid[i] {
                let j = Int(s) * calls + c
                let x = batchValues[i]
                counts[j] += 1
                sums[j] += x
                if x < mins[j] { mins[j] = x }
                if x > maxs[j] { maxs[j] = x }
            }
        }
    }

    var usedSlots: [Int] {
        domains == nil ? Array(keyOfSlot.indices) : denseUsed.indices.filter { denseUsed[$0] }
    }

    /// The stored group values of a slot (`nullInt` for null).
    func keys(of slot: Int) -> [Int64] {
        guard let domains else { return keyOfSlot[slot] }
        var rest = slot
        return domains.map { size in
            let code = rest % size
            rest /= size
            return code == size - 1 ? nullInt : Int64(code)
        }
    }
}

/// A hashable group key; up to three values inline.
private struct GroupKey: Hashable {
    var a: Int64 = 0, b: Int64 = 0, c: Int64 = 0
    var rest: [Int64] = []
    let count: Int

    init(_ values: [Int64]) {
        count = values.count
        if count > 0 { a = values[0] }
        if count > 1 { b = values[1] }
        if count > 2 { c = values[2] }
        if count > 3 { rest = Array(values[3...]) }
    }

    var values: [Int64] { Array([a, b, c].prefix(count)) + rest }
}
