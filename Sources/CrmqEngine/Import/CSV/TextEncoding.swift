/// How the bytes of an import file become text: `encoding utf8` (the default) or `encoding latin1`.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8; a byte sequence that is not UTF-8 is an error naming the line.
    case utf8
    /// ISO-8859-1, with 0x80-0x9F read as Windows-1252 (`€`, `„`, curly quotes): files that say
    /// Latin-1 mostly come from Windows, and those bytes are control codes nobody means in Latin-1.
    case latin1
}

extension TextEncoding {
    /// Windows-1252's characters for 0x80-0x9F; the five bytes it leaves undefined keep their
    /// Latin-1 control code, so every byte still decodes to something.
    static let windows1252High: [Unicode.Scalar] = [
        "\u{20AC}", "\u{81}", "\u{201A}", "\u{192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{2C6}", "\u{2030}", "\u{160}", "\u{2039}", "\u{152}", "\u{8D}", "\u{17D}", "\u{8F}",
        "\u{90}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{2DC}", "\u{2122}", "\u{161}", "\u{203A}", "\u{153}", "\u{9D}", "\u{17E}", "\u{178}",
    ]

    /// The character a Latin-1 byte stands for.
    static func latin1Scalar(_ byte: UInt8) -> Unicode.Scalar {
        if byte >= 0x80 && byte < 0xA0 { return windows1252High[Int(byte - 0x80)] }
        return Unicode.Scalar(byte)
    }
}
