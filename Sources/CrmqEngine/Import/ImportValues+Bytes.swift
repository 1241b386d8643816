/// Converting a cell straight from its bytes, as most cells of a large file are written: a number
/// without padding, an ISO date, an enum value spelled as defined, an id. Anything else (padding,
/// another date format, a name, a misspelling, an error) is left to `convert`, which knows every
/// form and every message: a quick answer is always the one `convert` would give.
struct QuickValues {
    let values: ImportValues
    /// What each field (by index in the entity's fields) is, without the names a `FieldType`
    /// carries (copying those per cell would count references a million times).
    private enum Kind {
        case int, money, date, datetime, reference, other
        /// An enum field: its spellings are `spellings[k]`.
        case enumeration(Int)
    }
    private let kinds: [Kind]
    private let spellings: [EnumSpellings]

    init(_ values: ImportValues, def: EntityDef) {
        self.values = values
        var spellings: [EnumSpellings] = []
        var byName: [String: Int] = [:]
        kinds = def.fields.map { f in
            switch f.type {
            case .int: return .int
            case .money: return .money
            case .date: return .date
            case .datetime: return .datetime
            case .reference: return .reference
            case .enumeration(let name):
                guard let codes = values.enumCodes[name] else { return .other }
                if let k = byName[name] { return .enumeration(k) }
                byName[name] = spellings.count
                spellings.append(EnumSpellings(codes))
                return .enumeration(spellings.count - 1)
            case .percent, .bool, .text: return .other
            }
        }
        self.spellings = spellings
    }

    /// The stored integer of a cell of field `f` (not a text field), or nil to ask `convert`.
    func integer(_ b: UnsafeBufferPointer<UInt8>, field f: Int) -> Int64? {
        guard let first = b.first, let last = b.last, !QuickValues.blank(first), !QuickValues.blank(last) else { return nil }
        switch kinds[f] {
        case .int:
            guard let (v, places) = values.number(b[...]), places == 0 else { return nil }
            return v
        case .money:
            guard let (v, places) = values.number(b[...]), places <= 2 else { return nil }
            let (scaled, overflow) = v.multipliedReportingOverflow(by: places == 0 ? 100 : places == 1 ? 10 : 1)
            return overflow || scaled <= nullInt ? nil : scaled
        case .date:
            guard values.dateFormat == nil, let d = ImportValues.isoDay(b), d.used == b.count else { return nil }
            return d.day
        case .datetime:
            guard values.dateFormat == nil, let d = ImportValues.isoDay(b) else { return nil }
            if d.used == b.count { return d.day * 86_400 }
            guard let t = ImportValues.time(b[d.used...]) else { return nil }
            return d.day * 86_400 + t
        case .enumeration(let k):
            return spellings[k].code(b)
        case .reference:
            return QuickValues.id(b)
        case .other:
            return nil
        }
    }

    /// An id written as digits only, from 1 (up to 18 digits: no overflow); nil otherwise.
    static func id(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !b.isEmpty, b.count <= 18 else { return nil }
        var v: Int64 = 0
        for c in b {
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int64(c - 48)
        }
        return v >= 1 ? v : nil
    }

    /// A space, tab or the first byte of a no-break space: what `importTrimmed` takes off.
    private static func blank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 0xC2 || c == 0xA0 }

    /// Whether a text cell is one crmq's export neutralised (`'=SUM(...)`): its `'` comes off.
    static func neutralised(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 2, b[0] == UInt8(ascii: "'") else { return false }
        switch b[1] {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13: return true
        default: return false
        }
    }
}

/// An enum's spellings that `ImportValues` finds without lowercasing (each value as defined and
/// lowercased), compared by bytes: one after another for the few most enums have, by hash for many.
/// A class, so that a million cells look it up through one reference instead of copying its arrays.
private final class EnumSpellings: Sendable {
    private let texts: TextRun
    private let lookup: TextLookup
    private let codes: [Int64]
    private static let fewest = 24

    init(_ spellings: [String: Int64]) {
        var texts = TextRun()
        var lookup = TextLookup()
        var codes: [Int64] = []
        for (text, code) in spellings {
            var t = text
            t.withUTF8 { b in
                if lookup.intern(b, next: Int32(texts.count), in: texts).added {
                    texts.append(utf8: b)
                    codes.append(code)
                }
            }
        }
        self.texts = texts
        self.lookup = lookup
        self.codes = codes
    }

    func code(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        if codes.count <= EnumSpellings.fewest {
            for k in codes.indices where texts.withUTF8(k, { TextLookup.same($0, b) }) { return codes[k] }
            return nil
        }
        let c = lookup.code(of: b, in: texts)
        return c < codes.count ? codes[c] : nil
    }
}
