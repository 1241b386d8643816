/// A bound filter written back as a condition a user can read, with values decoded
/// (`stage = "Negotiation"`, `value > 10000.00`, `close_date between 2026-06-15 and 2026-07-15`).
struct FilterText {
    let db: Database

    func text(_ f: BoundFilter) -> String {
        switch f {
        case .all: return "true"
        case .none: return "false"
        case .not(let inner): return "not (\(text(inner)))"
        case .and(let parts): return parts.map { wrap($0) }.joined(separator: " and ")
        case .or(let parts): return parts.map { wrap($0) }.joined(separator: " or ")
        case .test(let path, let test): return self.test(path, test)
        case .scalar(let p): return p.text
        case .related(let q, let c, let inner):
            return "\(q.rawValue) \(c.text)" + (inner == .all ? "" : " (\(text(inner)))")
        }
    }

    private func wrap(_ f: BoundFilter) -> String {
        switch f {
        case .and, .or: return "(\(text(f)))"
        default: return text(f)
        }
    }

    private func test(_ path: BoundPath, _ t: BoundTest) -> String {
        let reader = PathReader(path, in: db)
        func show(_ v: Int64) -> String {
            let value = reader.decode(v)
            if case .text(let s) = value { return "\"\(s)\"" }
            return value.plainText
        }
        let p = path.text
        switch t {
        case .isNull: return "\(p) is null"
        case .oneOf(let values):
            return values.count == 1 ? "\(p) = \(show(values[0]))" : "\(p) in (\(values.map(show).joined(separator: ", ")))"
        case .range(let lo, let hi):
            if lo == hi { return "\(p) = \(show(lo))" }
            // Numbers read better as the user wrote them: `> 10000`, not `>= 10000.01`.
            let discrete = path.type.isNumeric
            // Every value (`<= 9223372036854775807`): hi + 1 would overflow.
            if lo <= nullInt + 1 && hi == .max { return "\(p) is not null" }
            if lo <= nullInt + 1 { return discrete ? "\(p) < \(show(hi + 1))" : "\(p) <= \(show(hi))" }
            if hi == .max { return discrete ? "\(p) > \(show(lo - 1))" : "\(p) >= \(show(lo))" }
            return "\(p) between \(show(lo)) and \(show(hi))"
        case .textEquals(let values):
            return values.count == 1 ? "\(p) = \"\(values[0])\"" : "\(p) in (\(values.map { "\"\($0)\"" }.joined(separator: ", ")))"
        case .textMatch(let m, let needle):
            return "\(p) \(m.rawValue) \"\(needle)\""
        case .inSegment(let segment):
            return "\(p) in \(segment.name)"
        }
    }
}
