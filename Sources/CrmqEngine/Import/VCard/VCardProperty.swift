/// One content line taken apart: `[group.]NAME[;PARAM...]:value`. Names and parameter names are
/// upper-cased (vCard names are case-insensitive); the value stays raw bytes until a property the
/// reader uses is decoded (`VCardValue`), so photos and unknown properties cost nothing.
struct VCardProperty: Equatable {
    /// `item1` in Apple's `item1.EMAIL`; nil without a group.
    var group: String?
    var name: String
    /// Parameter names upper-cased, values as written (split at unquoted commas).
    var parameters: [(name: String, values: [String])]
    var value: [UInt8]
    var line: Int

    static func == (a: VCardProperty, b: VCardProperty) -> Bool {
        a.group == b.group && a.name == b.name && a.value == b.value && a.line == b.line
            && a.parameters.map(\.name) == b.parameters.map(\.name) && a.parameters.map(\.values) == b.parameters.map(\.values)
    }

    /// Parses a content line; nil when it has no `:` (outside a quoted parameter value).
    /// Parameters come in every style the versions allow: `TYPE=work,pref` (3.0), `TYPE=WORK;TYPE=PREF`,
    /// bare `;WORK;PREF` and `;QUOTED-PRINTABLE` (2.1), `PREF=1` and `TYPE="work,voice"` (4.0).
    init?(_ content: VCardLine) {
        let bytes = content.bytes
        var i = 0
        var inQuotes = false
        var pieces: [ArraySlice<UInt8>] = []
        var pieceStart = 0
        var colon: Int?
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes && b == UInt8(ascii: ";") {
                pieces.append(bytes[pieceStart..<i])
                pieceStart = i + 1
            } else if !inQuotes && b == UInt8(ascii: ":") {
                colon = i
                break
            }
            i += 1
        }
        guard let colon else { return nil }
        pieces.append(bytes[pieceStart..<colon])
        let fullName = pieces.removeFirst()
        if let dot = fullName.lastIndex(of: UInt8(ascii: ".")) {
            group = String(decoding: fullName[..<dot], as: UTF8.self)
            name = VCardBytes.upper(fullName[(dot + 1)...])
        } else {
            group = nil
            name = VCardBytes.upper(fullName)
        }
        name = String(name.filter { $0 != " " && $0 != "\t" })
        parameters = pieces.compactMap(Self.parameter)
        value = Array(bytes[(colon + 1)...])
        line = content.line
    }

    private static func parameter(_ piece: ArraySlice<UInt8>) -> (name: String, values: [String])? {
        let text = String(decoding: piece, as: UTF8.self).trimmingSpaces
        if text.isEmpty { return nil }
        guard let eq = text.firstIndex(of: "=") else {
            // vCard 2.1 writes most parameters without their names.
            let upper = text.uppercased()
            switch upper {
            case "QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B": return ("ENCODING", [text])
            default: return ("TYPE", [text])
            }
        }
        let name = String(text[..<eq]).trimmingSpaces.uppercased()
        var values: [String] = []
        var current = ""
        var inQuotes = false
        for ch in text[text.index(after: eq)...] {
            if ch == "\"" { inQuotes.toggle() } else if ch == "," && !inQuotes {
                values.append(current)
                current = ""
            } else { current.append(ch) }
        }
        values.append(current)
        return (name, values.map(\.trimmingSpaces))
    }

    func values(of parameter: String) -> [String] {
        parameters.filter { $0.name == parameter }.flatMap(\.values)
    }

    /// How preferred this one is among properties of the same name: 4.0's `PREF=1` (1 is the most
    /// preferred, up to 100) or `TYPE=pref` (2.1, 3.0); nil when not marked.
    var preference: Int? {
        if let pref = values(of: "PREF").compactMap({ Int($0) }).min() { return pref }
        return values(of: "TYPE").contains { $0.uppercased() == "PREF" } ? 1 : nil
    }

    var encoding: String? { values(of: "ENCODING").first?.uppercased() }
    var charset: String? { values(of: "CHARSET").first }
}

fileprivate extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
