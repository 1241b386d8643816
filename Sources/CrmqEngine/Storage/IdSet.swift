/// A set of ids: a bitmap while the ids are dense enough for the records at hand, else a hash set,
/// since ids may run up to 2^31 whatever the number of records (see `IdMap`).
struct IdSet {
    private var bits: [UInt64] = []
    private var hashed: Set<Int64> = []
    private let useBits: Bool

    /// A set for ids up to `highest` among `records` records.
    init(highest: Int64, records: Int) {
        // A bit an id: 32 times cheaper than a slot of `IdMap`'s dense table, so it may cover as much more.
        useBits = highest < 32 * Int64(IdMap.denseLimit(records: records))
        if useBits { bits = [UInt64](repeating: 0, count: Int(max(highest, 0) + 64) / 64) } else { hashed.reserveCapacity(records) }
    }

    /// Adds `id` (in `0 ... highest`); false when it was there already.
    @discardableResult
    mutating func insert(_ id: Int64) -> Bool {
        guard useBits else { return hashed.insert(id).inserted }
        let (word, bit) = (Int(id) >> 6, UInt64(1) << UInt64(id & 63))
        if bits[word] & bit != 0 { return false }
        bits[word] |= bit
        return true
    }

    /// Whether `id` (any value) is in the set.
    func contains(_ id: Int64) -> Bool {
        guard useBits else { return hashed.contains(id) }
        guard id >= 0, Int(id) >> 6 < bits.count else { return false }
        return bits[Int(id) >> 6] & (UInt64(1) << UInt64(id & 63)) != 0
    }
}
