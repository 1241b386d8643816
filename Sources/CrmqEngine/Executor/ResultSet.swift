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
    }

    public init(columns: [ResultColumn], rows: [[Value]]) {
        self.columns = columns
        self.storage = .values(rows)
    }

    public init(columns: [ResultColumn], rows: [Int32], readers: [PathReader]) {
        self.columns = columns
        self.storage = .projection(rows: rows, readers: readers)
    }

    public var rowCount: Int {
        switch storage {
        case .values(let v): v.count
        case .projection(let rows, _): rows.count
        }
    }

    public func value(row: Int, column: Int) -> Value {
        switch storage {
        case .values(let v): v[row][column]
        case .projection(let rows, let readers): readers[column].value(Int(rows[row]))
        }
    }

    public func row(_ r: Int) -> [Value] {
        (0..<columns.count).map { value(row: r, column: $0) }
    }
}
