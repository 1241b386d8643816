/// The language's reserved words. `grammar/crmq.ebnf` lists the same set (a test checks it).
public enum Keyword: String, CaseIterable, Sendable {
    case find, count, sum, avg, min, max, of, explain, analyze, index, drop
    case `where`, and, or, not, `in`, between, contains, starts, ends, with, `is`, null
    case before, after
    case show, order, by, asc, desc, limit, offset, distinct, having
    case `true`, `false`
    case today, yesterday, tomorrow, within, last, next, this
    case day, days, week, weeks, month, months, quarter, year, years
    case create, update, delete, upsert, set
    case begin, commit, rollback, save
    case `as`, any, no, all, via, totals
    case define, segment, fiscal
    case convert
    case report
    case alter, require, move
    case export, `import`
    case add, rename
    case sandbox
}

extension Keyword {
    /// Keywords by their lowercase spelling: a hash lookup instead of a string switch over every case.
    static let byName: [String: Keyword] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// The keyword spelled by `bytes` in any case, or nil.
    static func lookup(_ bytes: ArraySlice<UInt8>) -> Keyword? {
        // Keywords are short; a longer word cannot be one.
        guard bytes.count <= 12 else { return nil }
        let hasUpper = bytes.contains { $0 >= 0x41 && $0 <= 0x5A }
        let word = String(decoding: hasUpper ? bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }[...] : bytes, as: UTF8.self)
        return byName[word]
    }
}

public enum Symbol: String, Sendable {
    case lparen = "(", rparen = ")", comma = ",", dot = ".", star = "*", semicolon = ";"
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case minus = "-", plus = "+", slash = "/"
}

public enum TokenKind: Equatable, Sendable {
    case keyword(Keyword)
    case identifier(String)
    case string(String)
    case integer(Int64)
    /// A number with a fraction, kept exact: `5000.50` is digits 500050, places 2.
    case decimal(digits: Int64, places: Int)
    /// An ISO date literal, as a day number.
    case date(Int64)
    /// An ISO date-time literal, as seconds since the epoch (UTC).
    case datetime(Int64)
    case symbol(Symbol)
    /// A whole line starting with `.`, such as `.format csv`: the shell's own commands.
    case dotCommand(String)
    case end
}

public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var range: SourceRange
    /// True for the first token on its line: a new line may end the statement before it.
    public var startsLine: Bool

    public func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }
    public func isSymbol(_ s: Symbol) -> Bool { kind == .symbol(s) }

    /// How the token reads in an error message.
    public var description: String {
        switch kind {
        case .keyword(let k): "\"\(k.rawValue)\""
        case .identifier(let s): "\"\(s)\""
        case .string(let s): "the text \"\(s)\""
        case .integer(let n): "the number \(n)"
        case .decimal(let d, let p): "the number \(Value.decimalString(d, places: p))"
        case .date(let d): "the date \(Day.format(d))"
        case .datetime(let s): "the time \(Day.formatDateTime(s))"
        case .symbol(let s): "\"\(s.rawValue)\""
        case .dotCommand(let c): "the shell command \"\(c)\""
        case .end: "the end of the statement"
        }
    }
}
