/// Membership in the stored values of an `in (...)` test, asked once per row: a table indexed by
/// the value when the values are small (enum and bool codes, small ints), so that a scan of millions
/// of rows against `stage in (seven stages)` costs one load a row rather than seven comparisons.
struct StoredValueSet {
    private let table: [Bool]
    private let small: [Int64]
    private let large: Set<Int64>?

    /// Values below this go in the table.
    static let tableLimit: Int64 = 4096

    init(_ values: [Int64]) {
        if let top = values.max(), top < StoredValueSet.tableLimit, values.allSatisfy({ $0 >= 0 }) {
            var t = [Bool](repeating: false, count: Int(top) + 1)
            for v in values { t[Int(v)] = true }
            table = t
            small = []
            large = nil
        } else {
            table = []
            small = values.count <= 8 ? values : []
            large = values.count <= 8 ? nil : Set(values)
        }
    }

    @inline(__always)
    func contains(_ v: Int64) -> Bool {
        if !table.isEmpty { return v >= 0 && v < Int64(table.count) && table[Int(v)] }
        if let large { return large.contains(v) }
        return small.contains(v)
    }
}
