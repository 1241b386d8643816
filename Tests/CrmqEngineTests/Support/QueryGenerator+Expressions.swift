/// Random conditions on computed values for the differential test: arithmetic over two numeric
/// paths compared with a number, a date compared with another date or datetime (field to field,
/// with an interval), days between two of them, and date parts. The SQL spells crmq's semantics
/// in integers: numbers as hundredths, a datetime used with a date as its day.
extension QueryGenerator {
    private static let expressionComparisons = ["=", "!=", "<", "<=", ">", ">="]

    /// The condition in SQL: `!=` as the complement of `=`, which keeps nulls, as crmq does.
    private static func test(_ left: String, _ op: String, _ right: String) -> String {
        op == "!=" ? SQLText.neg("\(left) = \(right)") : SQLText.pos("\(left) \(op) \(right)")
    }

    mutating func expressionLeaf(_ entity: String) -> (String, String)? {
        let paths = Self.filterPaths[entity]!.map { fx.path($0, from: entity, alias: alias) }
        let numbers = paths.filter { [.int, .money, .percent].contains($0.type) && $0.field != "id" }
        let dates = paths.filter { $0.type == .date || $0.type == .datetime }
        switch rng.int(4) {
        case 0 where numbers.count >= 2:
            // a + b * k op v, a - b, a * k: each side in hundredths.
            let a = rng.pick(numbers), b = rng.pick(numbers)
            let k = rng.int(in: 1...5)
            let op = rng.pick(Self.expressionComparisons)
            let v = Int64(rng.int(in: -1000...300_000)) * 100
            let add = rng.chance(0.5)
            let crmq = "\(a.text) \(add ? "+" : "-") \(b.text) * \(k) \(op) \(v / 100)"
            return (crmq, Self.test("\(Self.hundredths(a)) \(add ? "+" : "-") \(Self.hundredths(b)) * \(k)", op, "\(v)"))
        case 1 where numbers.count >= 1:
            // a / k op v: a / k > v exactly when a > v * k (k > 0).
            let a = rng.pick(numbers)
            let k = rng.int(in: 2...7)
            let op = rng.pick(Self.expressionComparisons)
            let v = Int64(rng.int(in: 0...50_000)) * 100
            return ("\(a.text) / \(k) \(op) \(v / 100)", Self.test(Self.hundredths(a), op, "\(v) * \(k)"))
        case 2 where dates.count >= 2:
            let a = rng.pick(dates), b = rng.pick(dates)
            let n = rng.int(in: 0...400)
            if rng.chance(0.5) {
                let op = rng.pick(Self.expressionComparisons)
                let crmq = "\(a.text) \(op) \(b.text) + \(n) days"
                if a.type == .datetime && b.type == .datetime {
                    // Two datetimes compare to the second.
                    return (crmq, Self.test(a.sql, op, "strftime('%Y-%m-%dT%H:%M:%SZ', \(b.sql), '+\(n) days')"))
                }
                return (crmq, Self.test(Self.day(a), op, "date(\(Self.day(b)), '+\(n) days')"))
            }
            let sql = "julianday(\(Self.day(b))) - julianday(\(Self.day(a))) > \(n)"
            return ("days_between(\(a.text), \(b.text)) > \(n)", SQLText.pos(sql))
        case 3 where !dates.isEmpty:
            let a = rng.pick(dates)
            let months = (0..<rng.int(in: 1...3)).map { _ in rng.int(in: 1...12) }
            let sql = "CAST(strftime('%m', \(a.sql)) AS INTEGER) IN (\(months.map(String.init).joined(separator: ", ")))"
            let negated = rng.chance(0.3)
            return ("month(\(a.text)) \(negated ? "not in" : "in") (\(months.map(String.init).joined(separator: ", ")))",
                    negated ? SQLText.neg(sql) : SQLText.pos(sql))
        default:
            return nil
        }
    }

    /// A numeric path in hundredths.
    static func hundredths(_ p: SQLPath) -> String {
        p.type == .int ? "(\(p.sql) * 100)" : p.sql
    }

    /// A date or datetime path as its day, `YYYY-MM-DD`.
    static func day(_ p: SQLPath) -> String {
        p.type == .datetime ? "date(\(p.sql))" : p.sql
    }
}
