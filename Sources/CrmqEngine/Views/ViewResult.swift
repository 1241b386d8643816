/// A section of a view once its statements ran: the table it shows, and for a capped list how
/// many records there are in all.
struct ViewResult: Sendable {
    var section: ViewSection
    var table: ResultSet
    /// The `count` of a list: more than the rows shown means "and N more".
    var total: Int?

    /// The count a `count` statement returned.
    static func count(_ result: ResultSet) -> Int {
        if result.rowCount > 0, case .int(let n) = result.value(row: 0, column: 0) { return Int(n) }
        return 0
    }

    /// Won and lost deals in one row, and the win rate by count (won / closed), as the reports count it.
    static func outcome(won: ResultSet, lost: ResultSet) -> ResultSet {
        func figures(_ r: ResultSet) -> (Int64, Value) {
            guard r.rowCount > 0, case .int(let n) = r.value(row: 0, column: 0) else { return (0, .money(0)) }
            let sum = r.value(row: 0, column: 1)
            return (n, sum.isNull ? .money(0) : sum)
        }
        let (w, wonValue) = figures(won)
        let (l, lostValue) = figures(lost)
        var rate = Value.null
        if w + l > 0 {
            // Hundredths of a percent, rounded half up (both counts are positive).
            rate = .percent((w * 100_000 / (w + l) + 5) / 10)
        }
        return ResultSet(columns: [ResultColumn("won", .int), ResultColumn("won_value", .money), ResultColumn("lost", .int),
                                   ResultColumn("lost_value", .money), ResultColumn("win_rate", .percent)],
                         rows: [[.int(w), wonValue, .int(l), lostValue, rate]])
    }

    /// The stage changes with the days the deal spent in each stage: to the next change, or to
    /// today for the stage it is still in (none for a closed stage, or when the list is cut short).
    static func timeline(_ changes: ResultSet, complete: Bool, closed: [String], today: Int64) -> ResultSet {
        let closedNames = Set(closed.map { $0.lowercased() })
        func day(_ v: Value) -> Int64? {
            if case .datetime(let s) = v { return s >= 0 ? s / 86_400 : (s - 86_399) / 86_400 }
            return nil
        }
        var rows: [[Value]] = []
        for r in 0..<changes.rowCount {
            var row = changes.row(r)
            var days = Value.null
            if let start = day(row[0]) {
                if r + 1 < changes.rowCount, let end = day(changes.value(row: r + 1, column: 0)) {
                    days = .int(end - start)
                } else if complete, r + 1 == changes.rowCount, !closedNames.contains(row[2].plainText.lowercased()), today >= start {
                    days = .int(today - start)
                }
            }
            row.append(days)
            rows.append(row)
        }
        return ResultSet(columns: changes.columns + [ResultColumn("days_in_stage", .int)], rows: rows)
    }

    /// What the view's heading calls the record: a name, or a person and their company.
    static func title(of entity: String, _ fields: [String: Value]) -> String {
        func text(_ name: String) -> String { fields[name]?.plainText ?? "" }
        switch entity {
        case "contacts":
            return [text("first_name"), text("last_name")].filter { !$0.isEmpty }.joined(separator: " ")
        case "leads":
            let person = [text("first_name"), text("last_name")].filter { !$0.isEmpty }.joined(separator: " ")
            let company = text("company")
            return company.isEmpty ? person : person.isEmpty ? company : "\(person), \(company)"
        default:
            return text("name")
        }
    }
}
