/// Turns a cell's bytes into text in the file's encoding. ASCII, the common case, is copied
/// straight into a String (a short one lives inline and allocates nothing); anything else is
/// validated first, so a bad byte is reported where it is instead of becoming U+FFFD.
struct CSVCellDecoder {
    let encoding: TextEncoding

    enum Cell: Equatable {
        case text(String)
        /// Nothing between the delimiters, or only `""`.
        case empty
        /// `offset` is the bad byte's place in the cell's bytes as they are in the file.
        case invalidUTF8(offset: Int, byte: UInt8)
    }

    /// `raw` is the cell as it is in the file, without its enclosing quotes; `unescapingQuotes`
    /// when it holds doubled quotes, each of which stands for one.
    func cell(_ raw: UnsafeBufferPointer<UInt8>, unescapingQuotes: Bool) -> Cell {
        if raw.isEmpty { return .empty }
        var high: UInt8 = 0
        for b in raw { high |= b }
        if !unescapingQuotes {
            if high < 0x80 { return .text(String(decoding: raw, as: UTF8.self)) }
            if encoding == .latin1 { return .text(CSVCellDecoder.latin1(raw)) }
            if let text = String(validating: raw, as: UTF8.self) { return .text(text) }
        }
        if high >= 0x80 && encoding == .utf8, let offset = CSVCellDecoder.firstInvalidUTF8(raw) {
            return .invalidUTF8(offset: offset, byte: raw[offset])
        }
        if !unescapingQuotes { return .text(String(decoding: raw, as: UTF8.self)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            bytes.append(raw[i])
            // The scanner only sets unescapingQuotes when every quote inside is one of a pair.
            i += raw[i] == CSVScanner.quote ? 2 : 1
        }
        return bytes.withUnsafeBufferPointer { unescaped in
            if high < 0x80 || encoding == .utf8 { return .text(String(decoding: unescaped, as: UTF8.self)) }
            return .text(CSVCellDecoder.latin1(unescaped))
        }
    }

    /// Whether `raw` (not empty, without doubled quotes) is its own text: ASCII, or valid UTF-8
    /// in a UTF-8 file. Such a cell is taken as it is, byte for byte, as `cell` would give it.
    func isText(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for b in raw { high |= b }
        if high < 0x80 { return true }
        return encoding == .utf8 && CSVCellDecoder.firstInvalidUTF8(raw) == nil
    }

    /// Where the first byte that is not part of a well-formed UTF-8 character is, or nil.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    static func latin1(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(TextEncoding.latin1Scalar(b)) }
        return String(scalars)
    }
}
