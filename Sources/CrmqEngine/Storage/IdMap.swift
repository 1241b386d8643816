/// The row of each id present in a collection. Ids are handed out in order, so the common case is
/// the identity: ids `1 ... n` at rows `0 ..< n` (every collection as generated, imported or
/// created, until a delete), which needs no table at all. Otherwise a dense table indexed by id.
/// But ids of deleted records are never reused, and a file may claim a next id up to 2^31 with a
/// handful of records, so the dense table covers only as many ids as the records present justify
/// (`denseLimit`); ids above it live in a dictionary. Memory therefore follows the records, never
/// the id space a file claims.
public struct IdMap: Sendable {
    /// While `dense` and `sparse` are empty: ids `1 ... identity` are at rows `0 ..< identity`.
    public private(set) var identity = 0
    /// Row of each id below `dense.count` (`-1` for none).
    public private(set) var dense: [Int32] = []
    /// Row of each id present at or above `dense.count`; empty unless ids have large gaps.
    public private(set) var sparse: [Int64: Int32] = [:]

    /// The most ids a dense table may cover for `records` records: a few slots a record, plus a
    /// floor so that small collections never leave the fast case.
    static func denseLimit(records: Int) -> Int { 4 * records + 65_536 }

    public init() {}

    /// The map of `ids` (distinct, positive), row `i` holding `ids[i]`.
    public init<Ids: Swift.Collection<Int64>>(ids: Ids) {
        var next: Int64 = 1
        if ids.allSatisfy({ defer { next += 1 }; return $0 == next }) {
            identity = ids.count
            return
        }
        let highest = Int(ids.max() ?? 0)
        var dense = [Int32](repeating: -1, count: min(highest + 1, Self.denseLimit(records: ids.count)))
        var sparse: [Int64: Int32] = [:]
        dense.withUnsafeMutableBufferPointer { table in
            for (row, id) in ids.enumerated() {
                if id < table.count { table[Int(id)] = Int32(row) } else { sparse[id] = Int32(row) }
            }
        }
        self.dense = dense
        self.sparse = sparse
    }

    /// The row of `id`, or `-1` when no record has it (whatever the id: negative, deleted, never
    /// handed out, or beyond any table).
    @inline(__always)
    public func row(_ id: Int64) -> Int32 {
        if identity > 0 { return id >= 1 && id <= identity ? Int32(truncatingIfNeeded: id - 1) : -1 }
        if id >= 0 && id < dense.count { return dense[Int(id)] }
        return sparse.isEmpty ? -1 : sparse[id] ?? -1
    }

    /// The row of `id` with the dense part already opened as `table`: for loops over many ids.
    @inline(__always)
    public func row(_ id: Int64, dense table: UnsafeBufferPointer<Int32>) -> Int32 {
        if id >= 0 && id < table.count { return table[Int(id)] }
        if identity > 0 { return id >= 1 && id <= identity ? Int32(truncatingIfNeeded: id - 1) : -1 }
        return sparse.isEmpty ? -1 : sparse[id] ?? -1
    }

    /// Leaves the identity for a table, before a change the identity cannot express.
    private mutating func materialize() {
        guard identity > 0 else { return }
        dense = [Int32](unsafeUninitializedCapacity: identity + 1) { out, initialized in
            out[0] = -1
            for i in 0..<identity { out[i + 1] = Int32(i) }
            initialized = identity + 1
        }
        identity = 0
    }

    /// Records that `id` (new, above every id present) is at `row`; `records` is how many the
    /// collection holds with it.
    mutating func insert(_ id: Int64, row: Int32, records: Int) {
        if dense.isEmpty && sparse.isEmpty && id == Int64(identity) + 1 && Int(row) == identity {
            identity += 1
            return
        }
        materialize()
        if id < dense.count {
            dense[Int(id)] = row
        } else if sparse.isEmpty && id < Self.denseLimit(records: records) {
            // Grows as an array does (amortised), with empty slots for the ids skipped.
            dense.append(contentsOf: repeatElement(-1, count: Int(id) - dense.count + 1))
            dense[Int(id)] = row
        } else {
            // Once ids went to the dictionary, later (larger) ids follow them there, so that a
            // dense table never grows over ids the dictionary holds.
            sparse[id] = row
        }
    }

    /// Moves the record `id` (present) to `row`.
    mutating func move(_ id: Int64, to row: Int32) {
        if identity > 0 && id - 1 == Int64(row) { return }
        materialize()
        if id >= 0 && id < dense.count { dense[Int(id)] = row } else { sparse[id] = row }
    }

    /// Forgets the record `id`; its id is not handed out again.
    mutating func remove(_ id: Int64) {
        materialize()
        if id >= 0 && id < dense.count { dense[Int(id)] = -1 } else { sparse[id] = nil }
    }

    /// Reserves room for `n` records in the common case of ids handed out in order from 1.
    mutating func reserve(_ n: Int) {
        if sparse.isEmpty && identity == 0 { dense.reserveCapacity(n + 1) }
    }

    /// Approximate bytes held.
    public var memory: Int { dense.count * 4 + sparse.count * 16 }
}

extension IdMap: Equatable {
    /// Two maps are equal when they give every id the same row, however each holds them.
    public static func == (a: IdMap, b: IdMap) -> Bool {
        if a.identity == b.identity && a.dense == b.dense && a.sparse == b.sparse { return true }
        var x = a, y = b
        x.materialize()
        y.materialize()
        let n = max(x.dense.count, y.dense.count)
        for id in 0..<n where x.row(Int64(id)) != y.row(Int64(id)) { return false }
        return x.sparse.filter { $0.key >= n } == y.sparse.filter { $0.key >= n }
    }
}
