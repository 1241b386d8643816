/// The records of a run of inserts into one entity turned into columns in one pass, for the
/// journal to write and the collection to append: reading each record's values once, instead of
/// once per field, is most of what a million-row run costs.
struct InsertColumns {
    /// Per field after `id`: whether it is text.
    let text: [Bool]
    var ids: [Int64]
    /// Per field after `id`: its integers (empty for a text field).
    var integers: [[Int64]]
    /// Per field after `id`: its texts, nil for null (empty for an integer field).
    var texts: [[String?]]

    /// Roughly how long appending column `f` (0 the ids) takes: a text column interns each value.
    func cost(of f: Int) -> Int {
        f > 0 && text[f - 1] ? ids.count * 8 : ids.count
    }

    /// Nil when a record has another number of values, or a value does not fit its column (a
    /// text for an integer field, a number other than null for a text field).
    init?(_ run: ArraySlice<DataChange>, textFields text: [Bool]) {
        let n = run.count, m = text.count
        self.text = text
        ids = []
        ids.reserveCapacity(n)
        integers = text.map { $0 ? [] : [Int64](repeating: nullInt, count: n) }
        texts = text.map { $0 ? [String?](repeating: nil, count: n) : [] }
        var ok = true
        for (r, change) in run.enumerated() {
            guard case .insert(_, let id, let values) = change, values.count == m else { return nil }
            ids.append(id)
            values.withUnsafeBufferPointer { v in
                for f in 0..<m {
                    switch v[f] {
                    case .integer(let x):
                        if text[f] { ok = ok && x == nullInt } else { integers[f][r] = x }
                    case .text(let s):
                        if text[f] { texts[f][r] = s } else { ok = false }
                    }
                }
            }
            if !ok { return nil }
        }
    }
}
