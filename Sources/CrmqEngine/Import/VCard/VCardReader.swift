/// Reads contacts from a vCard file (2.1, 3.0 or 4.0; Outlook, Gmail, Apple Contacts, Android and
/// Thunderbird exports): one record per card, in the columns `columnNames`. A broken card is an
/// error at its BEGIN:VCARD line; the next call goes on at the following card.
public struct VCardReader: ImportRecordSource {
    /// The contact fields a card fills, in this order (these are `columns`).
    public static let columnNames = ["first_name", "last_name", "email", "phone", "title", "account", "city", "country", "note"]

    public let columns: [String] = VCardReader.columnNames
    private let lines: [VCardLine]
    private var position = 0

    /// A file with no BEGIN:VCARD is an error.
    public init(bytes: [UInt8]) throws(ImportReadError) {
        lines = VCardLines.unfold(VCardBytes.utf8(bytes))
        guard lines.contains(where: Self.isBegin) else {
            throw ImportReadError("no BEGIN:VCARD: this is not a vCard file", line: 1,
                                  hint: "a vCard file holds cards from BEGIN:VCARD to END:VCARD", fatal: true)
        }
    }

    public mutating func next() throws(ImportReadError) -> ImportRecord? {
        // Anything between cards (text before the first, stray lines after an END) is not a card.
        while position < lines.count && !Self.isBegin(lines[position]) { position += 1 }
        guard position < lines.count else { return nil }
        let start = lines[position].line
        position += 1
        var properties: [VCardProperty] = []
        var lineWithoutColon: VCardLine?
        while position < lines.count {
            let line = lines[position]
            if Self.isBegin(line) {
                // Left unread: the next call starts there.
                throw ImportReadError("the card has no END:VCARD before the next BEGIN:VCARD on line \(line.line)",
                                      line: start, hint: "end each card with END:VCARD")
            }
            position += 1
            if Self.isEnd(line) {
                if let bad = lineWithoutColon {
                    let text = String(decoding: bad.bytes.prefix(40), as: UTF8.self)
                    throw ImportReadError("line \(bad.line) of the card is not a property (no \":\"): \"\(text)\"", line: start,
                                          hint: "a property is NAME:VALUE; a long value goes on in lines that start with a space")
                }
                let contact = try VCardContact(properties: properties, startLine: start)
                return ImportRecord(cells: contact.cells, line: start)
            }
            if let property = VCardProperty(line) {
                properties.append(property)
            } else if lineWithoutColon == nil {
                lineWithoutColon = line
            }
        }
        throw ImportReadError("the card has no END:VCARD before the end of the file", line: start,
                              hint: "end each card with END:VCARD")
    }

    static func isBegin(_ line: VCardLine) -> Bool { matches(line, "BEGIN:VCARD") }
    static func isEnd(_ line: VCardLine) -> Bool { matches(line, "END:VCARD") }

    /// The whole line is `word` in any case, give or take trailing spaces.
    private static func matches(_ line: VCardLine, _ word: StaticString) -> Bool {
        let bytes = line.bytes
        let count = word.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let w = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for k in 0..<count where VCardBytes.upper(bytes[k]) != w[k] { return false }
        return bytes[count...].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}
