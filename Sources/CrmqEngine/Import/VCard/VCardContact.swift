/// The contact fields one card fills, from its properties: N (else FN) to first and last name, the
/// preferred (else first) EMAIL, TEL and ADR, TITLE, ORG's first component, NOTE. Everything else
/// (PHOTO, LOGO, SOUND, KEY, X- and unknown properties) is never decoded.
struct VCardContact: Equatable {
    var firstName: String?
    var lastName: String?
    var email: String?
    var phone: String?
    var title: String?
    var account: String?
    var city: String?
    var country: String?
    var note: String?

    /// The cells in `VCardReader.columnNames` order.
    var cells: [String?] { [firstName, lastName, email, phone, title, account, city, country, note] }

    /// Reads the card's properties; a value that cannot be decoded, or a card with no name and no
    /// email, is an error at the card's first line.
    init(properties: [VCardProperty], startLine: Int) throws(ImportReadError) {
        let versionText = properties.first { $0.name == "VERSION" }.map { String(decoding: $0.value, as: UTF8.self) }
        let version = versionText.map(VCardVersion.init) ?? .v30
        func decoded(_ name: String) throws(ImportReadError) -> [[String]]? {
            guard let property = Self.chosen(name, in: properties) else { return nil }
            do {
                return try VCardValue.components(of: property, version: version)
            } catch {
                throw Self.error(error, property: property, startLine: startLine)
            }
        }
        func whole(_ name: String) throws(ImportReadError) -> String? {
            try decoded(name).flatMap { Self.clean($0.map { $0.joined(separator: ",") }.joined(separator: ";")) }
        }
        if let n = try decoded("N") {
            lastName = Self.clean(n[0].joined(separator: " "))
            firstName = n.count > 1 ? Self.clean(n[1].joined(separator: " ")) : nil
        }
        if firstName == nil && lastName == nil, let full = try whole("FN") {
            // FN is the display name: "Given Family" in the clients that write it without N.
            if let space = full.lastIndex(of: " ") {
                firstName = Self.clean(String(full[..<space]))
                lastName = Self.clean(String(full[full.index(after: space)...]))
            } else {
                lastName = full
            }
        }
        email = try whole("EMAIL").flatMap { Self.clean(Self.dropScheme("mailto:", $0)) }
        phone = try whole("TEL").flatMap { Self.clean(Self.dropScheme("tel:", $0)) }
        title = try whole("TITLE")
        account = try decoded("ORG").flatMap { Self.clean($0[0].joined(separator: ",")) }
        if let adr = try decoded("ADR") {
            city = adr.count > 3 ? Self.clean(adr[3].joined(separator: ", ")) : nil
            country = adr.count > 6 ? Self.clean(adr[6].joined(separator: ", ")) : nil
        }
        note = try whole("NOTE")
        if firstName == nil && lastName == nil && email == nil {
            throw ImportReadError("the card has no name (N or FN) and no EMAIL", line: startLine,
                                  hint: "give each card an N, FN or EMAIL property")
        }
    }

    /// The most preferred property of that name (`PREF=1`, `TYPE=pref`), else the first.
    static func chosen(_ name: String, in properties: [VCardProperty]) -> VCardProperty? {
        var best: VCardProperty?
        var bestRank = Int.max
        for p in properties where p.name == name {
            let rank = p.preference ?? Int.max
            if best == nil || rank < bestRank {
                best = p
                bestRank = rank
            }
        }
        return best
    }

    /// Surrounding spaces and line breaks dropped, line breaks inside as LF (2.1 quoted-printable
    /// writes CRLF as `=0D=0A`); nothing left is nil.
    static func clean(_ s: String) -> String? {
        let blank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        var scalars = s.unicodeScalars
        if scalars.contains("\r") {
            var lf = String.UnicodeScalarView()
            var previousCR = false
            for u in scalars {
                if u == "\n" && previousCR { previousCR = false; continue }
                previousCR = u == "\r"
                lf.append(u == "\r" ? "\n" : u)
            }
            scalars = lf
        }
        guard let first = scalars.firstIndex(where: { !blank($0) }),
              let last = scalars.lastIndex(where: { !blank($0) }) else { return nil }
        return String(scalars[first...last])
    }

    private static func dropScheme(_ scheme: String, _ value: String) -> String {
        value.lowercased().hasPrefix(scheme) ? String(value.dropFirst(scheme.count)) : value
    }

    private static func error(_ problem: VCardValue.Problem, property: VCardProperty, startLine: Int) -> ImportReadError {
        switch problem {
        case .badQuotedPrintable(let text):
            ImportReadError("\(property.name) on line \(property.line) has bad quoted-printable \"\(text)\"", line: startLine,
                            hint: "in quoted-printable, \"=\" is followed by two hex digits (=C3) or ends a line that goes on")
        case .badBase64:
            ImportReadError("\(property.name) on line \(property.line) has bad base64", line: startLine)
        case .unknownCharset(let name):
            ImportReadError("\(property.name) on line \(property.line) is in CHARSET=\(name), which crmq cannot read",
                            line: startLine, hint: "save the file as UTF-8, ISO-8859-1 or Windows-1252")
        }
    }
}
