/// The input surfaces `scripts/fuzz` drives, each as "run these bytes". The libFuzzer entries
/// (`Sources/fuzz/*`) and the replay of saved crashes (`FuzzRegressionTests`) call the same code,
/// so an input that crashed the fuzzer crashes the test the same way until it is fixed.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Statement text as a user types it: lexed, parsed, bound, planned and run on a small demo dataset.
    case statement
    /// Mostly-valid statements built from the grammar, the bytes choosing each step (see `StatementBuilder`).
    case structured
    /// A snapshot file; the first byte holds `FileFuzzFlags`.
    case snapshot
    /// A journal beside the fixture's snapshot; the first byte holds `FileFuzzFlags`.
    case journal
    /// A CSV file to import; the first byte holds `CSVFuzzFlags` (delimiter and encoding).
    case csv
    /// A vCard file, read card by card to the end (`FuzzRunner.vcards`).
    case vcard

    public func run(_ bytes: [UInt8]) -> FuzzOutcome {
        switch self {
        case .statement: FuzzRunner.statements(String(decoding: bytes, as: UTF8.self))
        case .structured: FuzzRunner.statements(StatementBuilder(schema: FuzzFixture.session.database.schema).script(from: bytes))
        case .snapshot: FuzzRunner.snapshot(bytes)
        case .journal: FuzzRunner.journal(bytes)
        case .csv: FuzzRunner.csv(bytes)
        case .vcard: FuzzRunner.vcards(bytes)
        }
    }
}

/// What running one fuzz input came to. Anything but a crash, a trap or a hang is a pass; the
/// regression test also checks that a refusal says why.
public struct FuzzOutcome: Sendable {
    /// Statements: every one succeeded. Files: read, checked and used.
    public var accepted: Bool
    /// The session's transcript (results and diagnostics), or why the file was refused.
    public var text: String
}

/// The first byte of a file input: what to fix up before reading, so the fuzzer's mutations get past
/// the checksums and the id check to the decoding behind them (as libpng's fuzzer recomputes CRCs).
/// Inputs without the bits exercise the checks themselves.
public struct FileFuzzFlags: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Recompute every checksum (and the snapshot's length and end marker) over the mutated bytes.
    public static let repairChecksums = FileFuzzFlags(rawValue: 1)
    /// Journal only: make it name the fixture's snapshot, so its records are replayed.
    public static let matchSnapshot = FileFuzzFlags(rawValue: 2)
}

/// The first byte of a CSV input: the delimiter the import is told (bits 0-1: detected, `,`, `;`,
/// tab) and its encoding (bit 2: latin1), as `delimiter ";"` and `encoding latin1` would.
public struct CSVFuzzFlags: Sendable {
    public let delimiter: UInt8?
    public let encoding: TextEncoding
    /// Which of `FuzzImport`'s statements imports the bytes (the flag byte's top five bits).
    public let statement: Int

    public init(_ byte: UInt8) {
        delimiter = [nil, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][Int(byte & 3)]
        encoding = byte & 4 == 0 ? .utf8 : .latin1
        statement = Int(byte >> 3)
    }
}
