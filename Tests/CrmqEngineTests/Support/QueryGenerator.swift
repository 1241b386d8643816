import Foundation
import Testing
@testable import CrmqEngine

// Random conditions and queries, written in crmq and in SQL side by side.

// MARK: - Conditions, in both languages

/// A `where` condition in crmq and in SQL (every SQL leaf is already 0 or 1, never null).
indirect enum DiffCondition {
    case leaf(crmq: String, sql: String)
    case and(DiffCondition, DiffCondition)
    case or(DiffCondition, DiffCondition)
    case not(DiffCondition)

    private var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .not: 3
        case .leaf: 4
        }
    }

    /// Renders both spellings with the same parentheses: only where precedence needs them,
    /// plus some extra ones, so the parser's precedence is compared with SQL's.
    func render(_ rng: inout DiffRandom, keywordCase: Bool) -> (crmq: String, sql: String) {
        func kw(_ k: String, _ rng: inout DiffRandom) -> String { keywordCase && rng.chance(0.3) ? k.uppercased() : k }
        func child(_ c: DiffCondition, _ needed: Int, _ rng: inout DiffRandom) -> (String, String) {
            let (a, b) = c.render(&rng, keywordCase: keywordCase)
            if c.precedence < needed || (c.precedence < 4 && rng.chance(0.2)) || (c.precedence == 4 && rng.chance(0.05)) {
                return ("(\(a))", "(\(b))")
            }
            return (a, b)
        }
        switch self {
        case .leaf(let c, let s):
            return (c, s)
        case .or(let l, let r):
            let (a, b) = child(l, 1, &rng), (c, d) = child(r, 1, &rng)
            return ("\(a) \(kw("or", &rng)) \(c)", "\(b) OR \(d)")
        case .and(let l, let r):
            let (a, b) = child(l, 2, &rng), (c, d) = child(r, 2, &rng)
            return ("\(a) \(kw("and", &rng)) \(c)", "\(b) AND \(d)")
        case .not(let x):
            let (a, b) = child(x, 3, &rng)
            return ("\(kw("not", &rng)) \(a)", "NOT \(b)")
        }
    }
}

/// Generates random conditions and queries over the demo data.
struct QueryGenerator {
    let fx: DifferentialFixture
    var rng: DiffRandom
    static let today = DifferentialFixture.todayText
    /// How often a leaf is `any`/`no`/`all` over a child collection (see QueryGenerator+Related).
    var relatedChance = 0.06
    /// The SQL alias of the row being tested: `t`, or a child collection's record inside EXISTS.
    var alias = "t"
    /// How many `any`/`no`/`all` the condition being generated sits inside.
    var nesting = 0

    static let filterPaths: [String: [String]] = [
        "opportunities": [
            "id", "name", "stage", "probability", "value", "close_date", "created_at", "lead_source", "type",
            "product", "account", "owner", "contact", "campaign", "account.industry", "account.country",
            "account.city", "account.employees", "account.annual_revenue", "owner.name", "owner.team", "owner.role",
            "account.owner.team", "account.owner.name", "contact.last_name", "contact.role", "contact.title",
            "campaign.channel", "campaign.start_date", "stage", "value", "close_date", "account.industry",
        ],
        "contacts": [
            "id", "first_name", "last_name", "email", "phone", "title", "role", "city", "country", "created_at",
            "account", "account.industry", "account.country", "account.name", "account.employees",
            "account.annual_revenue", "account.created_at", "account.owner.team", "account.owner.name",
            "last_name", "title", "account.industry",
        ],
        "activities": [
            "type", "subject", "done", "due_at", "created_at", "owner.name", "owner.team", "opportunity.stage",
            "opportunity.value", "contact.last_name", "account.industry", "lead.score", "opportunity.account.country",
            "done", "due_at",
        ],
        "leads": [
            "first_name", "last_name", "company", "source", "status", "score", "created_at", "converted_at",
            "owner.name", "campaign.channel", "converted_opportunity.stage", "converted_contact.account.industry",
        ],
        // Reached as child collections (and accounts as the parent of most).
        "accounts": ["name", "industry", "country", "employees", "annual_revenue", "created_at", "owner.team"],
        "cases": ["subject", "status", "priority", "opened_at", "closed_at", "contact.role"],
        "stage_changes": ["from_stage", "to_stage", "changed_at", "changed_by.team"],
    ]

    static let groupPaths: [String: [String]] = [
        "opportunities": ["stage", "lead_source", "type", "product", "owner.name", "owner.team", "account.industry",
                          "account.country", "account.owner.team", "contact.role", "campaign.channel", "close_date", "owner"],
        "contacts": ["role", "country", "account.industry", "account.country", "account.owner.team", "title"],
        "activities": ["type", "done", "owner.name", "opportunity.stage"],
        "leads": ["source", "status", "owner.team", "score"],
    ]

    static let aggregateFields: [String: [String]] = [
        "opportunities": ["value", "probability", "close_date", "created_at", "account.employees",
                          "account.annual_revenue", "stage", "value"],
        "contacts": ["account.employees", "created_at", "account.annual_revenue", "account.created_at"],
        "activities": ["due_at", "opportunity.value", "created_at", "lead.score"],
        "leads": ["score", "created_at", "converted_at"],
    ]

    mutating func entity() -> String {
        let r = rng.int(100)
        return r < 45 ? "opportunities" : r < 80 ? "contacts" : r < 90 ? "activities" : "leads"
    }

    mutating func condition(_ entity: String, depth: Int) -> DiffCondition {
        if depth == 0 || rng.chance(0.35) {
            if nesting < 2, rng.chance(relatedChance), !(Self.collections[entity] ?? []).isEmpty { return related(entity) }
            return leaf(entity)
        }
        switch rng.int(10) {
        case 0...3: return .and(condition(entity, depth: depth - 1), condition(entity, depth: depth - 1))
        case 4...7: return .or(condition(entity, depth: depth - 1), condition(entity, depth: depth - 1))
        default: return .not(condition(entity, depth: depth - 1))
        }
    }

    // MARK: Leaves

    mutating func leaf(_ entity: String) -> DiffCondition {
        if rng.chance(0.08), let (c, s) = expressionLeaf(entity) { return .leaf(crmq: c, sql: s) }
        let p = fx.path(rng.pick(Self.filterPaths[entity]!), from: entity, alias: alias)
        var name = p.text
        if rng.chance(0.05) { name = name.uppercased() }  // field names are case-insensitive
        let (c, s): (String, String)
        switch p.type {
        case .text: (c, s) = textLeaf(p, name)
        case .enumeration(let e): (c, s) = enumLeaf(p, name, e)
        case .int, .money, .percent: (c, s) = numberLeaf(p, name)
        case .reference: (c, s) = referenceLeaf(p, name)
        case .bool: (c, s) = boolLeaf(p, name)
        case .date, .datetime: (c, s) = temporalLeaf(p, name)
        }
        return .leaf(crmq: c, sql: s)
    }

    private mutating func nullLeaf(_ p: SQLPath, _ name: String) -> (String, String) {
        switch rng.int(4) {
        case 0: return ("\(name) is null", "((\(p.sql)) IS NULL)")
        case 1: return ("\(name) is not null", "((\(p.sql)) IS NOT NULL)")
        case 2: return ("\(name) = null", "((\(p.sql)) IS NULL)")
        default: return ("\(name) != null", "((\(p.sql)) IS NOT NULL)")
        }
    }

    /// Flips the case of ASCII letters at random (text compares ignoring case).
    private mutating func scramble(_ s: String) -> String {
        guard rng.chance(0.5) else { return s }
        return String(s.map { ch -> Character in
            guard ch.isASCII, ch.isLetter, rng.chance(0.4) else { return ch }
            return Character(ch.isUppercase ? ch.lowercased() : ch.uppercased())
        })
    }

    private mutating func quoted(_ s: String) -> String {
        let escaped = s.replacingOccurrences(of: "\\", with: "\\\\")
        if rng.chance(0.2) { return "'" + escaped.replacingOccurrences(of: "'", with: "''") + "'" }
        return "\"" + escaped.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private mutating func textValue(_ p: SQLPath) -> String {
        let pool = fx.pool(p)
        if pool.isEmpty || rng.chance(0.12) {
            return rng.pick(["Nowhere Ltd", "zzz", "Retail", "Norway", "Sales", "x y", "O'Brien"])
        }
        return rng.pick(pool)
    }

    /// A piece of a value that occurs: its start, its end, or something inside.
    private mutating func needle(_ p: SQLPath, _ match: TextMatch, from values: [String]) -> String {
        if values.isEmpty || rng.chance(0.1) { return rng.pick(["zz", "q", "son", "a", "in", "en", "AS", ""]) }
        let chars = Array(rng.pick(values))
        if chars.isEmpty { return "" }
        let n = rng.int(in: 1...min(5, chars.count))
        switch match {
        case .startsWith: return String(chars[0..<n])
        case .endsWith: return String(chars[(chars.count - n)...])
        case .contains:
            let start = rng.int(chars.count - n + 1)
            return String(chars[start..<(start + n)])
        }
    }

    /// `contains`, `starts with`, `ends with`, maybe negated, on text or an enum's text.
    private mutating func matchLeaf(_ p: SQLPath, _ name: String, values: [String]) -> (String, String) {
        let m = rng.pick([TextMatch.contains, .contains, .startsWith, .endsWith])
        let n = scramble(needle(p, m, from: values))
        let negated = rng.chance(0.3)
        let x = fx.fold(p.sql), y = fx.fold(SQLText.string(n))
        let test: String = switch m {
        case .contains: "instr(\(x), \(y)) > 0"
        case .startsWith: "substr(\(x), 1, length(\(y))) = \(y)"
        case .endsWith: "length(\(x)) >= length(\(y)) AND substr(\(x), length(\(x)) - length(\(y)) + 1) = \(y)"
        }
        let word = negated ? "not \(m.rawValue)" : m.rawValue
        return ("\(name) \(word) \(quoted(n))", negated ? SQLText.neg(test) : SQLText.pos(test))
    }

    private mutating func textLeaf(_ p: SQLPath, _ name: String) -> (String, String) {
        let x = fx.fold(p.sql)
        switch rng.int(12) {
        case 0, 1, 2:
            let v = textValue(p)
            let test = "\(x) = \(fx.fold(SQLText.string(v)))"
            let lit = quoted(scramble(v))
            let op = rng.chance(0.2) ? "==" : "="
            return (rng.chance(0.15) ? "\(lit) \(op) \(name)" : "\(name) \(op) \(lit)", SQLText.pos(test))
        case 3:
            let v = textValue(p)
            return ("\(name) \(rng.chance(0.3) ? "<>" : "!=") \(quoted(scramble(v)))",
                    SQLText.neg("\(x) = \(fx.fold(SQLText.string(v)))"))
        case 4, 5:
            let values = (0..<rng.int(in: 1...4)).map { _ in textValue(p) }
            let negated = rng.chance(0.4)
            let list = values.map { quoted(scramble($0)) }.joined(separator: ", ")
            let test = "\(x) IN (\(values.map { fx.fold(SQLText.string($0)) }.joined(separator: ", ")))"
            return ("\(name) \(negated ? "not in" : "in") (\(list))", negated ? SQLText.neg(test) : SQLText.pos(test))
        case 6, 7, 8, 9:
            return matchLeaf(p, name, values: fx.pool(p))
        default:
            return nullLeaf(p, name)
        }
    }

    private mutating func enumLeaf(_ p: SQLPath, _ name: String, _ e: String) -> (String, String) {
        let values = fx.enumValues(e)
        let x = fx.fold(p.sql), rank = fx.enumRank(p.sql, e)
        func lit(_ v: String, _ g: inout QueryGenerator) -> String { g.quoted(g.scramble(v)) }
        switch rng.int(12) {
        case 0, 1:
            let v = rng.pick(values)
            return ("\(name) = \(lit(v, &self))", SQLText.pos("\(x) = \(fx.fold(SQLText.string(v)))"))
        case 2:
            let v = rng.pick(values)
            return ("\(name) != \(lit(v, &self))", SQLText.neg("\(x) = \(fx.fold(SQLText.string(v)))"))
        case 3, 4:
            let i = rng.int(values.count)
            let (op, sqlOp) = rng.pick([("<", "<"), ("<=", "<="), (">", ">"), (">=", ">=")])
            return ("\(name) \(op) \(lit(values[i], &self))", SQLText.pos("\(rank) \(sqlOp) \(i)"))
        case 5:
            let a = rng.int(values.count), b = rng.int(values.count)
            let negated = rng.chance(0.3)
            let test = "\(rank) BETWEEN \(a) AND \(b)"
            return ("\(name) \(negated ? "not between" : "between") \(lit(values[a], &self)) and \(lit(values[b], &self))",
                    negated ? SQLText.neg(test) : SQLText.pos(test))
        case 6, 7:
            let chosen = (0..<rng.int(in: 1...3)).map { _ in rng.pick(values) }
            let negated = rng.chance(0.4)
            let test = "\(x) IN (\(chosen.map { fx.fold(SQLText.string($0)) }.joined(separator: ", ")))"
            let list = chosen.map { lit($0, &self) }.joined(separator: ", ")
            return ("\(name) \(negated ? "not in" : "in") (\(list))", negated ? SQLText.neg(test) : SQLText.pos(test))
        case 8, 9:
            return matchLeaf(p, name, values: values)
        default:
            return nullLeaf(p, name)
        }
    }

    /// A number for an int (units) or money/percent (hundredths) field, mostly near values that occur.
    private mutating func scaledValue(_ p: SQLPath) -> Int64 {
        let places = p.type.isDecimal ? 2 : 0
        let pool = fx.pool(p).compactMap { Self.scaled($0, places: places) }
        guard !pool.isEmpty, !rng.chance(0.1) else { return Int64(rng.int(in: -5...200_000)) * (places == 2 ? 100 : 1) }
        let v = rng.pick(pool)
        switch rng.int(6) {
        case 0: return v + 1
        case 1: return v - 1
        case 2: return places == 2 ? (v / 100) * 100 : v
        default: return v
        }
    }

    static func scaled(_ s: String, places: Int) -> Int64? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        var frac = parts.count > 1 ? String(parts[1]) : ""
        guard frac.count <= places else { return nil }
        frac += String(repeating: "0", count: places - frac.count)
        let negative = parts[0].hasPrefix("-")
        guard let whole = Int64(parts[0].drop { $0 == "-" }), let f = Int64(frac.isEmpty ? "0" : frac) else { return nil }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let magnitude = whole * scale + f
        return negative ? -magnitude : magnitude
    }

    /// A number literal as a user may write it: 5000, 5000.5, 5000.50, 10_000.
    private mutating func numberLiteral(_ v: Int64, places: Int) -> String {
        let sign = v < 0 ? "-" : ""
        let m = v.magnitude
        func grouped(_ n: UInt64, _ g: inout QueryGenerator) -> String {
            let s = String(n)
            guard s.count > 3, g.rng.chance(0.15) else { return s }
            var out = ""
            for (i, ch) in s.enumerated() {
                if i > 0, (s.count - i) % 3 == 0 { out.append("_") }
                out.append(ch)
            }
            return out
        }
        if places == 0 { return sign + grouped(m, &self) }
        let whole = grouped(m / 100, &self), cents = m % 100
        if cents == 0 {
            return sign + whole + rng.pick(["", "", ".0", ".00"])
        }
        if cents % 10 == 0, rng.chance(0.5) { return sign + whole + ".\(cents / 10)" }
        return sign + whole + "." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    private static let comparisons: [(String, String, String)] = [  // crmq, flipped crmq, SQL
        ("=", "=", "="), ("!=", "!=", "!="), ("<", ">", "<"), ("<=", ">=", "<="), (">", "<", ">"), (">=", "<=", ">="),
    ]

    private mutating func numberLeaf(_ p: SQLPath, _ name: String) -> (String, String) {
        let places = p.type.isDecimal ? 2 : 0
        let x = p.sql
        switch rng.int(12) {
        case 0...5:
            let (op, flipped, sqlOp) = rng.pick(Self.comparisons)
            let v = scaledValue(p)
            let lit = numberLiteral(v, places: places)
            let c = rng.chance(0.15) ? "\(lit) \(flipped) \(name)" : "\(name) \(op) \(lit)"
            if op == "!=" { return (c, SQLText.neg("\(x) = \(v)")) }
            return (c, SQLText.pos("\(x) \(sqlOp) \(v)"))
        case 6, 7:
            var a = scaledValue(p), b = scaledValue(p)
            if a > b, rng.chance(0.8) { swap(&a, &b) }
            let negated = rng.chance(0.3)
            let test = "\(x) BETWEEN \(a) AND \(b)"
            return ("\(name) \(negated ? "not between" : "between") \(numberLiteral(a, places: places)) and \(numberLiteral(b, places: places))",
                    negated ? SQLText.neg(test) : SQLText.pos(test))
        case 8, 9:
            let values = (0..<rng.int(in: 1...4)).map { _ in scaledValue(p) }
            let negated = rng.chance(0.4)
            let test = "\(x) IN (\(values.map(String.init).joined(separator: ", ")))"
            let list = values.map { numberLiteral($0, places: places) }.joined(separator: ", ")
            return ("\(name) \(negated ? "not in" : "in") (\(list))", negated ? SQLText.neg(test) : SQLText.pos(test))
        default:
            return nullLeaf(p, name)
        }
    }

    private mutating func referenceLeaf(_ p: SQLPath, _ name: String) -> (String, String) {
        let pool = fx.pool(p).compactMap { Int64($0) }
        func id(_ g: inout QueryGenerator) -> Int64 {
            pool.isEmpty || g.rng.chance(0.1) ? Int64(g.rng.int(in: 0...3000)) : g.rng.pick(pool)
        }
        let x = p.sql
        switch rng.int(8) {
        case 0, 1:
            let v = id(&self)
            return ("\(name) = \(v)", SQLText.pos("\(x) = \(v)"))
        case 2:
            let v = id(&self)
            return ("\(name) != \(v)", SQLText.neg("\(x) = \(v)"))
        case 3, 4:
            let values = (0..<rng.int(in: 1...4)).map { _ in id(&self) }
            let negated = rng.chance(0.4)
            let list = values.map(String.init).joined(separator: ", ")
            let test = "\(x) IN (\(list))"
            return ("\(name) \(negated ? "not in" : "in") (\(list))", negated ? SQLText.neg(test) : SQLText.pos(test))
        case 5:
            var a = id(&self), b = id(&self)
            if a > b { swap(&a, &b) }
            return ("\(name) between \(a) and \(b)", SQLText.pos("\(x) BETWEEN \(a) AND \(b)"))
        default:
            return nullLeaf(p, name)
        }
    }

    private mutating func boolLeaf(_ p: SQLPath, _ name: String) -> (String, String) {
        let b = rng.chance(0.5)
        let x = p.sql
        switch rng.int(6) {
        case 0, 1: return ("\(name) = \(b)", SQLText.pos("\(x) = \(b ? 1 : 0)"))
        case 2: return ("\(name) != \(b)", SQLText.neg("\(x) = \(b ? 1 : 0)"))
        case 3: return ("\(name) in (\(b))", SQLText.pos("\(x) IN (\(b ? 1 : 0))"))
        default: return nullLeaf(p, name)
        }
    }

    // MARK: Dates

    /// A date literal: a span of days (SQL date expressions), or one instant.
    enum TemporalLiteral {
        case days(crmq: String, lo: String, hi: String)
        case instant(crmq: String, iso: String)

        var crmq: String {
            switch self {
            case .days(let c, _, _), .instant(let c, _): c
            }
        }
    }

    /// The first and last moment (datetime field) or day (date field) a literal covers, in SQL.
    private func bounds(_ l: TemporalLiteral, datetime: Bool) -> (lo: String, hi: String) {
        switch l {
        case .days(_, let lo, let hi):
            return datetime ? ("(\(lo) || 'T00:00:00Z')", "(\(hi) || 'T23:59:59Z')") : (lo, hi)
        case .instant(_, let iso):
            let v = SQLText.string(datetime ? iso : String(iso.prefix(10)))
            return (v, v)
        }
    }

    static let units: [(word: String, plural: String, sqlite: String, perUnit: Int, maxCount: Int)] = [
        ("day", "days", "days", 1, 400), ("week", "weeks", "days", 7, 20), ("month", "months", "months", 1, 15),
        ("quarter", "quarter", "months", 3, 5), ("year", "years", "years", 1, 2),
    ]

    /// `this month`, `last quarter`, ...: the whole calendar period, computed with sqlite's date().
    static func period(offset: Int, unit: String) -> (lo: String, hi: String) {
        let t = SQLText.string(today)
        switch unit {
        case "day":
            let d = "date(\(t), '\(SQLText.signed(offset)) days')"
            return (d, d)
        case "week":
            let monday = "date(\(t), '-6 days', 'weekday 1', '\(SQLText.signed(7 * offset)) days')"
            return (monday, "date(\(monday), '+6 days')")
        case "month":
            return ("date(\(t), 'start of month', '\(SQLText.signed(offset)) months')",
                    "date(\(t), 'start of month', '\(SQLText.signed(offset + 1)) months', '-1 day')")
        case "quarter":
            let start = "date(\(t), 'start of month', printf('-%d months', (CAST(strftime('%m', \(t)) AS INTEGER) - 1) % 3))"
            return ("date(\(start), '\(SQLText.signed(3 * offset)) months')",
                    "date(\(start), '\(SQLText.signed(3 * offset + 3)) months', '-1 day')")
        default:
            return ("date(\(t), 'start of year', '\(SQLText.signed(offset)) years')",
                    "date(\(t), 'start of year', '\(SQLText.signed(offset + 1)) years', '-1 day')")
        }
    }

    private mutating func periodLiteral() -> TemporalLiteral {
        let offset = rng.int(3) - 1
        let unit = rng.pick(["day", "week", "month", "quarter", "year"])
        let (lo, hi) = Self.period(offset: offset, unit: unit)
        return .days(crmq: "\(["last", "this", "next"][offset + 1]) \(unit)", lo: lo, hi: hi)
    }

    private mutating func randomDay() -> String {
        Day.format(Day.parse("2024-06-01")! + Int64(rng.int(1200)))
    }

    private mutating func instantText(_ iso: String) -> String {
        // iso is YYYY-MM-DDTHH:MM:SSZ
        switch rng.int(4) {
        case 0: return String(iso.dropLast())
        case 1 where iso.hasSuffix(":00Z"): return String(iso.prefix(16))
        default: return iso
        }
    }

    private mutating func temporalLiteral(_ p: SQLPath) -> TemporalLiteral {
        let pool = fx.pool(p)
        let isDateTime = p.type == .datetime
        switch rng.int(12) {
        case 0...3 where !pool.isEmpty:
            let d = String(rng.pick(pool).prefix(10))
            return .days(crmq: d, lo: SQLText.string(d), hi: SQLText.string(d))
        case 4:
            let d = randomDay()
            return .days(crmq: d, lo: SQLText.string(d), hi: SQLText.string(d))
        case 5:
            let (word, offset) = rng.pick([("today", 0), ("yesterday", -1), ("tomorrow", 1)])
            let d = "date(\(SQLText.string(Self.today)), '\(SQLText.signed(offset)) days')"
            return .days(crmq: word, lo: d, hi: d)
        case 6, 7:
            return periodLiteral()
        case 8...9 where isDateTime && !pool.isEmpty:
            let iso = rng.pick(pool)
            return .instant(crmq: instantText(iso), iso: iso)
        default:
            let day = pool.isEmpty || rng.chance(0.3) ? randomDay() : String(rng.pick(pool).prefix(10))
            let h = rng.int(24), m = rng.int(60), s = rng.chance(0.5) ? 0 : rng.int(60)
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let iso = "\(day)T\(two(h)):\(two(m)):\(two(s))Z"
            return .instant(crmq: instantText(iso), iso: iso)
        }
    }

    private mutating func temporalLeaf(_ p: SQLPath, _ name: String) -> (String, String) {
        let dt = p.type == .datetime
        let x = p.sql
        switch rng.int(14) {
        case 0...4:
            let l = temporalLiteral(p)
            let (lo, hi) = bounds(l, datetime: dt)
            let ops: [(String, String, String)] = [  // crmq, flipped, SQL test
                ("=", "=", "\(x) BETWEEN \(lo) AND \(hi)"), ("!=", "!=", ""), ("<", ">", "\(x) < \(lo)"),
                ("<=", ">=", "\(x) <= \(hi)"), (">", "<", "\(x) > \(hi)"), (">=", "<=", "\(x) >= \(lo)"),
                ("before", "", "\(x) < \(lo)"), ("after", "", "\(x) > \(hi)"),
            ]
            let (op, flipped, test) = rng.pick(ops)
            let c = !flipped.isEmpty && rng.chance(0.15) ? "\(l.crmq) \(flipped) \(name)" : "\(name) \(op) \(l.crmq)"
            if op == "!=" { return (c, SQLText.neg("\(x) BETWEEN \(lo) AND \(hi)")) }
            return (c, SQLText.pos(test))
        case 5, 6:
            let a = temporalLiteral(p), b = temporalLiteral(p)
            let negated = rng.chance(0.3)
            let test = "\(x) BETWEEN \(bounds(a, datetime: dt).lo) AND \(bounds(b, datetime: dt).hi)"
            return ("\(name) \(negated ? "not between" : "between") \(a.crmq) and \(b.crmq)",
                    negated ? SQLText.neg(test) : SQLText.pos(test))
        case 7:
            let items = (0..<rng.int(in: 1...3)).map { _ in temporalLiteral(p) }
            let negated = rng.chance(0.4)
            let test = items.map { l in
                let (lo, hi) = bounds(l, datetime: dt)
                return "(\(x) BETWEEN \(lo) AND \(hi))"
            }.joined(separator: " OR ")
            return ("\(name) \(negated ? "not in" : "in") (\(items.map(\.crmq).joined(separator: ", ")))",
                    negated ? SQLText.neg(test) : SQLText.pos(test))
        case 8:
            let l = periodLiteral()
            let (lo, hi) = bounds(l, datetime: dt)
            let negated = rng.chance(0.4)
            let test = "\(x) BETWEEN \(lo) AND \(hi)"
            return ("\(name) \(negated ? "not in" : "in") \(l.crmq)", negated ? SQLText.neg(test) : SQLText.pos(test))
        case 9, 10, 11:
            // within last/next N units, or within this/last/next period
            let l: TemporalLiteral
            if rng.chance(0.7) {
                let u = rng.pick(Self.units)
                let n = rng.int(in: 0...u.maxCount)
                let last = rng.chance(0.5)
                let t = SQLText.string(Self.today)
                let other = "date(\(t), '\(SQLText.signed((last ? -1 : 1) * n * u.perUnit)) \(u.sqlite)')"
                let word = n == 1 && rng.chance(0.5) ? u.word : u.plural
                l = .days(crmq: "\(last ? "last" : "next") \(n) \(word)", lo: last ? other : t, hi: last ? t : other)
            } else {
                l = periodLiteral()
            }
            let (lo, hi) = bounds(l, datetime: dt)
            return ("\(name) within \(l.crmq)", SQLText.pos("\(x) BETWEEN \(lo) AND \(hi)"))
        default:
            return nullLeaf(p, name)
        }
    }

    // MARK: Whole queries

    struct Query {
        var crmq: String
        var sql: String
        /// Compare in order (there is an `order by`); otherwise as sets.
        var ordered: Bool
        /// The result column compared; nil compares every cell.
        var column: String?
    }

    mutating func find() -> Query {
        let e = entity()
        let (c, s) = condition(e, depth: rng.int(in: 0...3)).render(&rng, keywordCase: true)
        var crmq = "find \(e) where \(c)"
        var select = ["t.id"]
        var column: String? = "id"
        if rng.chance(0.3) {
            // Some columns too (dot paths read through references); `show` may come before `where`.
            let shown = (0..<rng.int(in: 1...3)).map { _ in fx.path(rng.pick(Self.filterPaths[e]!), from: e) }
            select += shown.map { SQLText.render($0.sql, $0.type) }
            let clause = "show id, " + shown.map(\.text).joined(separator: ", ")
            crmq = rng.chance(0.3) ? "find \(e) \(clause) where \(c)" : crmq + " " + clause
            column = nil
        }
        var sql = "SELECT \(select.joined(separator: ", ")) FROM \(SQLText.ident(e)) t WHERE \(s)"
        var ordered = false
        if rng.chance(0.3) {
            ordered = true
            var keys: [String] = []
            var terms: [String] = []
            for _ in 0..<rng.int(in: 1...2) {
                let p = fx.path(rng.pick(Self.filterPaths[e]!), from: e)
                let desc = rng.chance(0.5)
                keys.append(p.text + (desc ? " desc" : rng.chance(0.3) ? " asc" : ""))
                terms += fx.sortTerms(p.sql, p.type, descending: desc)
            }
            crmq += " order by " + keys.joined(separator: ", ")
            sql += " ORDER BY " + (terms + ["t.id"]).joined(separator: ", ")
            let limit = rng.chance(0.5) ? rng.int(in: 0...40) : nil
            let offset = rng.chance(0.3) ? rng.int(in: 0...30) : nil
            if let limit { crmq += " limit \(limit)" }
            if let offset { crmq += " offset \(offset)" }
            if limit != nil || offset != nil { sql += " LIMIT \(limit ?? -1) OFFSET \(offset ?? 0)" }
        } else {
            sql += " ORDER BY t.id"
        }
        return Query(crmq: crmq, sql: sql, ordered: ordered, column: column)
    }

    mutating func aggregate() -> Query {
        let e = entity()
        let function = rng.pick(AggregateFunction.allCases)
        var field: SQLPath?
        if function != .count {
            let candidates = Self.aggregateFields[e]!.map { fx.path($0, from: e) }
                .filter { function == .min || function == .max || $0.type.isNumeric }
            field = rng.pick(candidates)
        }
        var groups: [SQLPath] = []
        let wanted = rng.int(3)
        while groups.count < wanted {
            let g = fx.path(rng.pick(Self.groupPaths[e]!), from: e)
            if !groups.contains(where: { $0.text == g.text }) { groups.append(g) }
        }
        // `count distinct PATH`: any groupable path, text as stored (sqlite's DISTINCT is case-sensitive too).
        let distinct = function == .count && rng.chance(0.4) ? fx.path(rng.pick(Self.groupPaths[e]!), from: e) : nil
        var crmq = field.map { "\(function.rawValue) \($0.text) of \(e)" }
            ?? distinct.map { "count distinct \($0.text) of \(e)" } ?? "count \(e)"
        var inner = groups.enumerated().map { "\($1.sql) AS g\($0)" }
        if let f = field ?? distinct { inner.append("\(f.sql) AS v") }
        if inner.isEmpty { inner = ["1 AS one"] }
        var sql = "SELECT "
        var whereSQL = ""
        if rng.chance(0.6) {
            let (c, s) = condition(e, depth: rng.int(in: 0...2)).render(&rng, keywordCase: false)
            crmq += " where \(c)"
            whereSQL = " WHERE \(s)"
        }
        if !groups.isEmpty { crmq += " by " + groups.map(\.text).joined(separator: ", ") }

        // The aggregate's value as crmq prints it, and as it sorts.
        let value: String, sortValue: String
        switch (function, field?.type) {
        case (.count, _):
            value = distinct == nil ? "COUNT(*)" : "COUNT(DISTINCT v)"; sortValue = value
        case (.sum, .int?):
            value = "COALESCE(SUM(v), 0)"; sortValue = value
        case (.sum, _):
            value = SQLText.hundredths("COALESCE(SUM(v), 0)"); sortValue = "COALESCE(SUM(v), 0)"
        case (.avg, .int?):
            // Ordered by the average as shown (to the hundredth), ties by the groups.
            sortValue = "CAST(ROUND(SUM(v) * 100.0 / COUNT(v)) AS INTEGER)"
            value = SQLText.hundredths(sortValue)
        case (.avg, _):
            sortValue = "CAST(ROUND(SUM(v) * 1.0 / COUNT(v)) AS INTEGER)"
            value = SQLText.hundredths(sortValue)
        case (.min, let t?), (.max, let t?):
            let fn = function == .min ? "MIN" : "MAX"
            if case .enumeration(let name) = t {
                let r = "\(fn)(\(fx.enumRank("v", name)))"
                value = "COALESCE(CASE \(r) " + fx.enumValues(name).enumerated()
                    .map { "WHEN \($0) THEN \(SQLText.string($1))" }.joined(separator: " ") + " END, '')"
                sortValue = r
            } else {
                value = SQLText.render("\(fn)(v)", t); sortValue = "\(fn)(v)"
            }
        default:
            preconditionFailure("no field for \(function)")
        }
        sql += (groups.enumerated().map { SQLText.render("g\($0)", $1.type) } + [value]).joined(separator: ", ")
        sql += " FROM (SELECT \(inner.joined(separator: ", ")) FROM \(SQLText.ident(e)) t\(whereSQL))"
        if !groups.isEmpty { sql += " GROUP BY " + groups.indices.map { "g\($0)" }.joined(separator: ", ") }
        // `having` on the aggregate's column (by its function's name or its header), before order and limit.
        if rng.chance(0.35), let (c, h) = having(function, field: field, distinct: distinct, sortValue: sortValue) {
            crmq += " having \(c)"
            sql += " HAVING \(h)"
        }

        var order: [String] = []
        if !groups.isEmpty, rng.chance(0.35) {
            var keys: [String] = []
            for _ in 0..<rng.int(in: 1...2) {
                let desc = rng.chance(0.5)
                if rng.chance(0.5) {
                    // A count distinct is named by its header (`count` is a count of rows).
                    let name = distinct.map { "count_distinct_" + $0.text.replacingOccurrences(".", "_") } ?? function.rawValue
                    keys.append(name + (desc ? " desc" : ""))
                    order += ["(\(sortValue)) IS NULL", "(\(sortValue))" + (desc ? " DESC" : "")]
                } else {
                    let i = rng.int(groups.count)
                    keys.append(groups[i].text + (desc ? " desc" : ""))
                    order += fx.sortTerms("g\(i)", groups[i].type, descending: desc)
                }
            }
            crmq += " order by " + keys.joined(separator: ", ")
        }
        for (i, g) in groups.enumerated() { order += fx.sortTerms("g\(i)", g.type, descending: false) }
        if !order.isEmpty { sql += " ORDER BY " + order.joined(separator: ", ") }
        if !groups.isEmpty, rng.chance(0.25) {
            let limit = rng.int(in: 1...5)
            let offset = rng.chance(0.4) ? rng.int(in: 0...4) : 0
            crmq += " limit \(limit)" + (offset > 0 ? " offset \(offset)" : "")
            sql += " LIMIT \(limit) OFFSET \(offset)"
        }
        return Query(crmq: crmq, sql: sql, ordered: true, column: nil)
    }

    /// One or two comparisons of the aggregate's result with a number, maybe negated; nil for
    /// min and max (their results are of many types). SQL sees each comparison as COALESCE(..., 0),
    /// so `not` keeps the groups whose result is null, as crmq's plain complement does.
    private mutating func having(_ function: AggregateFunction, field: SQLPath?, distinct: SQLPath?,
                                 sortValue: String) -> (String, String)? {
        // sortValue is in hundredths for averages and money or percent sums; plain for counts and int sums.
        let hundredths: Bool
        switch (function, field?.type) {
        case (.count, _), (.sum, .int?): hundredths = false
        case (.sum, _), (.avg, _): hundredths = true
        default: return nil
        }
        let header = distinct.map { "count_distinct_" + $0.text.replacingOccurrences(".", "_") }
            ?? field.map { "\(function.rawValue)_" + $0.text.replacingOccurrences(".", "_") } ?? "count"
        let ops = ["=", "!=", "<", "<=", ">", ">="]
        let thresholds: [Int] = function == .count ? [0, 1, 2, 3, 5, 8] : [0, 5, 50, 1000, 25000, 100000]
        var crmqParts: [String] = [], sqlParts: [String] = []
        for _ in 0..<rng.int(in: 1...2) {
            let op = rng.pick(ops)
            let n = rng.pick(thresholds)
            crmqParts.append("\(distinct != nil || rng.chance(0.5) ? header : function.rawValue) \(op) \(n)")
            sqlParts.append("COALESCE((\(sortValue)) \(op) \(hundredths ? n * 100 : n), 0)")
        }
        let join = rng.chance(0.5) ? "and" : "or"
        var c = crmqParts.joined(separator: " \(join) "), h = sqlParts.joined(separator: " \(join.uppercased()) ")
        if rng.chance(0.3) { c = "not (\(c))"; h = "NOT (\(h))" }
        return (c, h)
    }
}
