/// A filter compiled to test one row at a time: used on candidate rows an index produced, where
/// testing each candidate beats scanning whole columns.
struct RowPredicate {
    let test: (Int) -> Bool

    /// `expectedRows` is how many rows will be tested: text tests decide per distinct value when
    /// that is cheaper, per row otherwise.
    init(_ filter: BoundFilter, db: Database, expectedRows: Int) {
        switch filter {
        case .all:
            test = { _ in true }
        case .none:
            test = { _ in false }
        case .not(let inner):
            let p = RowPredicate(inner, db: db, expectedRows: expectedRows).test
            test = { !p($0) }
        case .and(let parts):
            let ps = parts.map { RowPredicate($0, db: db, expectedRows: expectedRows).test }
            test = { row in ps.allSatisfy { $0(row) } }
        case .or(let parts):
            let ps = parts.map { RowPredicate($0, db: db, expectedRows: expectedRows).test }
            test = { row in ps.contains { $0(row) } }
        case .test(let path, let t):
            test = RowPredicate.leaf(PathReader(path, in: db), t, expectedRows)
        }
    }

    private static func leaf(_ reader: PathReader, _ t: BoundTest, _ expectedRows: Int) -> (Int) -> Bool {
        switch t {
        case .range(let lo, let hi):
            return { let v = reader.stored($0); return v >= lo && v <= hi }
        case .oneOf(let values):
            let set = Set(values)
            return { set.contains(reader.stored($0)) }
        case .isNull:
            return { reader.stored($0) == nullInt }
        case .textEquals, .textMatch:
            let dictionary = reader.column.textColumn.dictionary
            let matches: (String) -> Bool
            if case .textEquals(let options) = t {
                matches = { s in options.contains { TextMatching.equals(s, $0) } }
            } else if case .textMatch(let m, let needle) = t {
                matches = { TextMatching.matches($0, m, needle) }
            } else {
                matches = { _ in false }
            }
            if expectedRows >= dictionary.count / 2 {
                let keep = dictionary.map(matches)
                return { let c = reader.stored($0); return c != nullInt && keep[Int(c)] }
            }
            return { let c = reader.stored($0); return c != nullInt && matches(dictionary[Int(c)]) }
        }
    }
}
