/// Turns one cell of a file into the stored value of a field, by the field's type: numbers with
/// `.` (or the `decimal comma` option), ISO dates (or the `date format`), true/false/yes/no/1/0,
/// enum values ignoring case. A reference is an id here, or a name left for ImportReferences.
struct ImportValues {
    enum Converted {
        case value(StoredValue)
        /// A reference given by a name, to resolve against the target's records.
        case name(String)
        /// Why the cell does not fit, and a hint.
        case bad(String, String?)
    }

    let schema: Schema
    let decimalComma: Bool
    let dateFormat: ImportDateFormat?
    /// Per enum name: lowercased value -> code.
    private(set) var enumCodes: [String: [String: Int64]] = [:]

    init(schema: Schema, decimalComma: Bool, dateFormat: ImportDateFormat?) {
        self.schema = schema
        self.decimalComma = decimalComma
        self.dateFormat = dateFormat
        for (name, values) in schema.enums {
            var codes: [String: Int64] = [:]
            for (i, v) in values.enumerated() where codes[v.lowercased()] == nil { codes[v.lowercased()] = Int64(i) }
            // A cell spelled as the value is found without lowercasing it (a million cells), to the
            // code the case-insensitive match gives.
            for v in values { codes[v] = codes[v.lowercased()] }
            enumCodes[name] = codes
        }
    }

    /// A cell crmq's own export neutralised (`'=SUM(...)`): the `'` comes off again.
    static func unneutralised(_ cell: String) -> String {
        let u = cell.utf8
        guard u.count >= 2, u.first == UInt8(ascii: "'") else { return cell }
        switch u[u.index(after: u.startIndex)] {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13: return String(cell.dropFirst())
        default: return cell
        }
    }

    func convert(_ cell: String, _ field: FieldDef) -> Converted {
        if field.type == .text { return .value(.text(ImportValues.unneutralised(cell))) }
        let s = cell.importTrimmed
        if s.isEmpty { return .value(.null) }
        switch field.type {
        case .text:
            return .value(.text(cell))
        case .int:
            guard let (v, places) = number(s), places == 0 else {
                return .bad("\"\(s)\" is not a whole number", decimalComma ? nil : "a whole number, such as 42")
            }
            return .value(.integer(v))
        case .money, .percent:
            var t = s
            if field.type == .percent, t.hasSuffix("%") { t = String(t.dropLast()).importTrimmed }
            guard let (v, places) = number(t) else {
                return .bad("\"\(s)\" is not a number",
                            decimalComma ? "with decimal comma, write 1.234,50" : "write 1234.50 (add decimal comma for 1.234,50)")
            }
            guard places <= 2 else { return .bad("\"\(s)\" has more than two decimal places", nil) }
            let (scaled, overflow) = v.multipliedReportingOverflow(by: places == 0 ? 100 : places == 1 ? 10 : 1)
            guard !overflow, scaled > nullInt else { return .bad("\"\(s)\" is too large", nil) }
            if field.type == .percent, !(0...10_000).contains(scaled) {
                return .bad("\(s) is not a percent from 0 to 100", nil)
            }
            return .value(.integer(scaled))
        case .bool:
            switch s.lowercased() {
            case "true", "yes", "1", "y": return .value(.integer(1))
            case "false", "no", "0", "n": return .value(.integer(0))
            default: return .bad("\"\(s)\" is not true or false", "use true/false, yes/no or 1/0")
            }
        case .date:
            if let d = day(s), d.used == s.utf8.count { return .value(.integer(d.day)) }
            return .bad("\"\(s)\" is not a date", dateHint)
        case .datetime:
            guard let d = day(s) else { return .bad("\"\(s)\" is not a date and time", dateHint) }
            let rest = s.utf8.dropFirst(d.used)
            if rest.isEmpty { return .value(.integer(d.day * 86_400)) }
            guard let t = ImportValues.time(rest) else {
                return .bad("\"\(s)\" is not a date and time", "write the time as HH:MM or HH:MM:SS after the date")
            }
            return .value(.integer(d.day * 86_400 + t))
        case .enumeration(let name):
            if let codes = enumCodes[name], let code = codes[s] ?? codes[s.lowercased()] { return .value(.integer(code)) }
            let values = schema.enumValues(name)
            return .bad("\"\(s)\" is not a value of \(field.name)",
                        Suggestions.didYouMean(s, in: values) ?? "values: " + values.map { "\"\($0)\"" }.joined(separator: ", "))
        case .reference(let target):
            if s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int64(s) {
                guard id >= 1 else { return .bad("\(id) is not an id of \(target): ids start at 1", nil) }
                return .value(.integer(id))
            }
            return .name(s)
        }
    }

    private var dateHint: String {
        dateFormat.map { "dates are read as \"\($0.text)\"" } ?? "write dates as YYYY-MM-DD, or add date format \"dd.mm.yyyy\""
    }

    /// The date at the start of `s`: by the `date format`, else ISO `YYYY-MM-DD`.
    private func day(_ s: String) -> (day: Int64, used: Int)? {
        if let dateFormat { return dateFormat.day(Substring(s).utf8) }
        return ImportValues.isoDay(s.utf8)
    }

    /// `YYYY-MM-DD` at the start of the bytes, read without building strings (a million dates).
    static func isoDay<Bytes: Swift.Collection<UInt8>>(_ u: Bytes) -> (day: Int64, used: Int)? {
        var y = 0, m = 0, d = 0, n = 0
        for (i, b) in u.prefix(10).enumerated() {
            if i == 4 || i == 7 {
                guard b == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard b >= 48, b <= 57 else { return nil }
            let v = Int(b - 48)
            if i < 4 { y = y * 10 + v } else if i < 7 { m = m * 10 + v } else { d = d * 10 + v }
            n += 1
        }
        guard n == 8 else { return nil }
        guard Day.isValid(year: y, month: m, day: d) else { return nil }
        return (Day.from(year: y, month: m, day: d), 10)
    }

    /// ` HH:MM[:SS][Z]` or `THH:MM...`: seconds into the day.
    static func time<Bytes: BidirectionalCollection<UInt8>>(_ rest: Bytes) -> Int64? {
        // Read in place, without arrays: a million datetimes.
        var i = rest.startIndex
        guard i < rest.endIndex, rest[i] == UInt8(ascii: " ") || rest[i] == UInt8(ascii: "T") else { return nil }
        i = rest.index(after: i)
        var end = rest.endIndex
        if end > i, rest[rest.index(before: end)] == UInt8(ascii: "Z") { end = rest.index(before: end) }
        var parts = 0, values: (Int64, Int64, Int64) = (0, 0, 0)
        while true {
            guard parts < 3, rest.distance(from: i, to: end) >= 2 else { return nil }
            let a = rest[i], b = rest[rest.index(after: i)]
            guard a >= 48, a <= 57, b >= 48, b <= 57 else { return nil }
            let v = Int64(a - 48) * 10 + Int64(b - 48)
            switch parts { case 0: values.0 = v; case 1: values.1 = v; default: values.2 = v }
            parts += 1
            i = rest.index(i, offsetBy: 2)
            if i == end { break }
            guard rest[i] == UInt8(ascii: ":") else { return nil }
            i = rest.index(after: i)
        }
        guard parts >= 2, values.0 < 24, values.1 < 60, values.2 < 60 else { return nil }
        return values.0 * 3600 + values.1 * 60 + values.2
    }

    /// An exact decimal: its digits and how many are after the separator. With `decimal comma`
    /// the fraction follows `,` and `.` or spaces group thousands; else `.` and `,` groups.
    func number(_ s: String) -> (Int64, Int)? {
        number(Substring(s).utf8[...])
    }

    func number<Bytes: Swift.Collection<UInt8>>(_ s: Bytes) -> (Int64, Int)? where Bytes.SubSequence == Bytes {
        let fraction = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let group = decimalComma ? UInt8(ascii: ".") : UInt8(ascii: ",")
        var v: Int64 = 0, places = 0, digits = 0
        var negative = false, inFraction = false
        var bytes = s
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var sinceGroup = -1
        for b in bytes {
            switch b {
            case 48...57:
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b - 48))
                guard !o1, !o2 else { return nil }
                v = a
                digits += 1
                if inFraction { places += 1 } else if sinceGroup >= 0 { sinceGroup += 1 }
            case fraction where !inFraction:
                if sinceGroup >= 0 && sinceGroup != 3 { return nil }
                inFraction = true
            case group where !inFraction, UInt8(ascii: " ") where decimalComma && !inFraction:
                if digits == 0 || (sinceGroup >= 0 && sinceGroup != 3) { return nil }
                sinceGroup = 0
            default:
                return nil
            }
        }
        if sinceGroup >= 0 && !inFraction && sinceGroup != 3 { return nil }
        guard digits > 0 else { return nil }
        return (negative ? -v : v, places)
    }
}

extension String {
    /// Without spaces, tabs and no-break spaces around it: what a spreadsheet pads numbers with.
    var importTrimmed: String {
        // Most cells have nothing to trim: looked at as bytes, without a new string.
        let u = utf8
        if let a = u.first, let b = u.last, a != 32, a != 9, a != 0xC2, b != 32, b != 9, b != 0xA0 { return self }
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
