extension Literal {
    /// How a literal reads in a diagnostic: "the text \"x\"", "the date 2026-03-31", "a whole quarter".
    var phrase: String {
        switch self {
        case .string(let s): "the text \"\(s)\""
        case .integer(let n): "the number \(n)"
        case .decimal(let d, let p): "the number \(Value.decimalString(d, places: p))"
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .date(let d): "the date \(Day.format(d))"
        case .datetime(let s): "the time \(Day.formatDateTime(s))"
        case .relativeDay: "a day"
        case .period(_, let u): "a whole \(u.rawValue)"
        }
    }
}

extension Literal {
    /// The literal as it would be written: a column header of a computed column.
    var text: String {
        switch self {
        case .string(let s): "\"\(s)\""
        case .integer(let n): String(n)
        case .decimal(let d, let p): Value.decimalString(d, places: p)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .date(let d): Day.format(d)
        case .datetime(let s): Day.formatDateTime(s)
        case .relativeDay(let o): o == 0 ? "today" : o < 0 ? "yesterday" : "tomorrow"
        case .period(let o, let u): "\(o == 0 ? "this" : o < 0 ? "last" : "next") \(u.rawValue)"
        }
    }
}
