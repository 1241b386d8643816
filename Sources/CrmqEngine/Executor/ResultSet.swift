/// What a column of a result holds, for formatting (alignment, separators, JSON types).
public enum ResultType: Sendable, Equatable {
    case text, int, money, percent, decimal, bool, date, datetime

    public init(_ t: FieldType) {
        switch t {
        case .text, .enumeration: self = .text
        case .int, .reference: self = .int
        case .money: self = .money
        case .percent: self = .percent
        case .bool: self = .bool
        case .date: self = .date
        case .datetime: self = .datetime
        }
    }

    public var isNumeric: Bool { [.int, .money, .percent, .decimal].contains(self) }
}

public struct ResultColumn: Sendable, Equatable {
    public var name: String
    public var type: ResultType

    public init(_ name: String, _ type: ResultType) {
        self.name = name
        self.type = type
    }
}

/// The rows a statement returns. A `find` result reads its cells from the columns on demand,
/// so a million-row result is a list of row numbers, not a million materialised records.
public struct ResultSet: Sendable {
    public let columns: [ResultColumn]
    private let storage: Storage

    private enum Storage: Sendable {
        case values([[Value]])
        case projection(rows: [Int32], readers: [PathReader])
        case mixed(rows: [Int32], sources: [ColumnSource])
    }

    /// Where a column of a `find` with computed columns comes from: a field read on demand, or
    /// the values computed for the rows returned.
    public enum ColumnSource: Sendable {
        case reader(PathReader)
        case values([Value])
    }

    /// Rows of `with totals` that total their group: row -> how many leading key columns it keeps;
    /// the key columns after those read `total` in a table (their values are null).
    public private(set) var totals: [Int: Int] = [:]
    /// How many leading columns are `by` keys (for `totals`).
    public private(set) var keyColumns = 0

    /// What a table shows in a rolled-up key cell; csv, tsv and json leave it empty or null.
    public static let totalLabel = "total"

    /// Whether the cell is a rolled-up key of a totals row: shown as `total`, not a value.
    public func isTotal(row: Int, column: Int) -> Bool {
        guard let kept = totals[row] else { return false }
        return column >= kept && column < keyColumns
    }

    public init(columns: [ResultColumn], rows: [[Value]]) {
        self.columns = columns
        self.storage = .values(rows)
    }

    public init(columns: [ResultColumn], rows: [Int32], readers: [PathReader]) {
        self.columns = columns
        self.storage = .projection(rows: rows, readers: readers)
    }

    public init(columns: [ResultColumn], rows: [Int32], sources: [ColumnSource]) {
        self.columns = columns
        self.storage = .mixed(rows: rows, sources: sources)
    }

    /// An aggregate's rows with its totals rows marked.
    public init(columns: [ResultColumn], rows: [[Value]], keyColumns: Int, totals: [Int: Int]) {
        self.init(columns: columns, rows: rows)
        self.keyColumns = keyColumns
        self.totals = totals
    }

    public var rowCount: Int {
        switch storage {
        case .values(let v): v.count
        case .projection(let rows, _), .mixed(let rows, _): rows.count
        }
    }

    public func value(row: Int, column: Int) -> Value {
        switch storage {
        case .values(let v): v[row][column]
        case .projection(let rows, let readers): readers[column].value(Int(rows[row]))
        case .mixed(let rows, let sources):
            switch sources[column] {
            case .reader(let r): r.value(Int(rows[row]))
            case .values(let v): v[row]
            }
        }
    }

    /// Calls `body` with a text cell's UTF-8 where it is stored, when the cell is read from a text
    /// column's dictionary; nil otherwise (null, another type, a computed value), when the cell is
    /// `value(row:column:)`. Lets a writer copy a text's bytes without making a `String` of it.
    public func withStoredUTF8<R>(row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        switch storage {
        case .values: nil
        case .projection(let rows, let readers): try readers[column].withUTF8(Int(rows[row]), body)
        case .mixed(let rows, let sources):
            if case .reader(let r) = sources[column] { try r.withUTF8(Int(rows[row]), body) } else { nil }
        }
    }

    public func row(_ r: Int) -> [Value] {
        (0..<columns.count).map { value(row: r, column: $0) }
    }
}
