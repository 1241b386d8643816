/// The arithmetic reports share, exact as the rest of crmq: counts are ints, money is cents, and
/// a rate is a percent with two decimals, rounded half away from zero. A rate or share over
/// nothing (a division by zero) is null: shown empty, `null` in json.
enum ReportFigures {
    /// `part / whole` as a percent with two decimals (hundredths of a point); null when `whole` is 0.
    static func rate(_ part: Int64, _ whole: Int64) -> Value {
        guard whole != 0 else { return .null }
        return .percent(divide(part * 10_000, whole))
    }

    /// `cents * part / whole`, rounded to the cent (half away from zero); null when `whole` is 0.
    /// The product is taken in 128 bits: a value in cents times a count may pass Int64.
    static func share(_ cents: Int64, _ part: Int64, _ whole: Int64) -> Value {
        guard whole != 0 else { return .null }
        let product = cents.magnitude.multipliedFullWidth(by: part.magnitude)
        let divisor = whole.magnitude
        guard product.high < divisor else { return .null }
        let (q, r) = divisor.dividingFullWidth(product)
        let rounded = Int64(clamping: q + (r >= divisor - r ? 1 : 0))
        let negative = ((cents < 0) != (part < 0)) != (whole < 0)
        return .money(negative ? -rounded : rounded)
    }

    /// `a / b` rounded half away from zero.
    static func divide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b, r = a % b
        guard r != 0, r.magnitude >= b.magnitude - r.magnitude else { return q }
        return (a < 0) != (b < 0) ? q - 1 : q + 1
    }

    /// Money in cents, as a result cell.
    static func cents(_ v: Value) -> Int64 {
        switch v {
        case .money(let c), .decimal(let c), .percent(let c): c
        case .int(let n): n * 100
        default: 0
        }
    }

    static func count(_ v: Value) -> Int64 {
        if case .int(let n) = v { return n }
        return 0
    }
}

/// An aggregate's result read by its group keys: `rows[key][column]`, keys in the order met.
struct GroupedResult {
    /// The key of each row: its key columns' values.
    private(set) var keys: [[Value]] = []
    private var rows: [[Value]: [String: Value]] = [:]

    init(_ result: ResultSet, keyColumns: Int) {
        for r in 0..<result.rowCount {
            let row = result.row(r)
            let key = Array(row[..<keyColumns])
            if rows[key] == nil { keys.append(key) }
            var cells: [String: Value] = [:]
            for c in keyColumns..<result.columns.count { cells[result.columns[c].name] = row[c] }
            rows[key] = cells
        }
    }

    func value(_ key: [Value], _ column: String) -> Value { rows[key]?[column] ?? .null }
}
