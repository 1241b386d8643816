/// `as of DATE|PERIOD` right after a query's entity (AST+AsOf.swift), and its refusal on changes.
extension Parser {
    /// Whether the next tokens are `as of`.
    var atAsOf: Bool {
        peek.isKeyword(.as) && !peek.startsLine && tokens[index + 1].isKeyword(.of)
    }

    /// `as of DATE|DATETIME|today|yesterday|tomorrow|this|last|next UNIT`, if the next tokens start it.
    mutating func asOfClause() throws(Diagnostic) -> AsOfSyntax? {
        guard atAsOf else { return nil }
        let start = peek.range
        index += 2
        let t = peek
        let point: Literal
        switch t.kind {
        case .date(let d): index += 1; point = .date(d)
        case .datetime(let s): index += 1; point = .datetime(s)
        case .keyword(.today): index += 1; point = .relativeDay(0)
        case .keyword(.yesterday): index += 1; point = .relativeDay(-1)
        case .keyword(.tomorrow): index += 1; point = .relativeDay(1)
        case .keyword(.this), .keyword(.last), .keyword(.next):
            index += 1
            if case .integer = peek.kind {
                throw Diagnostic(.parser, "\"as of\" takes one day or one period, not a span of days", at: t.range.union(peek.range),
                                 hint: "as of \(t.isKeyword(.next) ? "next" : "last") month, as of today, as of 2026-03-31")
            }
            let unit = try timeUnit(plural: false)
            point = .period(offset: t.isKeyword(.this) ? 0 : t.isKeyword(.last) ? -1 : 1, unit: unit)
        case .string(let s):
            throw Diagnostic(.parser, "expected a date or a period after \"as of\", found \(t.description)", at: t.range,
                             hint: Day.parse(s) != nil ? "write the date without quotes: as of \(s)"
                                 : "as of 2026-03-31, as of today, as of last quarter")
        default:
            throw unexpected(t, expecting: "a date or a period after \"as of\" (2026-03-31, today, last quarter)",
                             suggest: [.today, .yesterday, .last, .this])
        }
        if atAsOf {
            throw Diagnostic(.parser, "\"as of\" given twice", at: peek.range.union(tokens[index + 1].range),
                             hint: "a query reads the data at one moment")
        }
        return AsOfSyntax(point: point, range: start.union(previous.range))
    }

    /// A change statement's entity may not be followed by `as of`: changes apply to the data as it is now.
    mutating func refuseAsOf(in statement: String) throws(Diagnostic) {
        guard atAsOf else { return }
        let range = peek.range.union(tokens[index + 1].range)
        throw Diagnostic(.parser, "\"as of\" cannot be used with \(statement): changes apply to the data as it is now",
                         at: range, hint: "\"as of\" reads the past in find, count, sum, avg, min and max")
    }
}
