/// The values of one field across all rows of a collection.
///
/// Every non-text type is an integer column: money and percent as hundredths, dates as day
/// numbers, datetimes as seconds, enums as their index in the value list, bools as 0/1,
/// references as the target's id. `nullInt` marks no value. Each integer column is stored in the
/// fewest bytes that hold its values (`IntColumn`).
public enum Column: Sendable {
    case integers(IntColumn)
    case text(TextColumn)

    public init(for type: FieldType) {
        self = type.isText ? .text(TextColumn()) : .integers([])
    }

    public var count: Int {
        switch self {
        case .integers(let a): a.count
        case .text(let t): t.count
        }
    }

    public var integers: IntColumn {
        if case .integers(let a) = self { return a }
        preconditionFailure("not an integer column")
    }

    public var textColumn: TextColumn {
        if case .text(let t) = self { return t }
        preconditionFailure("not a text column")
    }

    public func isNull(_ row: Int) -> Bool {
        switch self {
        case .integers(let a): a[row] == nullInt
        case .text(let t): t.codes[row] < 0
        }
    }

    public mutating func appendInteger(_ v: Int64) {
        guard case .integers(var a) = self else { preconditionFailure("not an integer column") }
        self = .integers([])  // let `a` be uniquely referenced, so the append does not copy
        a.append(v)
        self = .integers(a)
    }

    public mutating func appendText(_ s: String?) {
        guard case .text(var t) = self else { preconditionFailure("not a text column") }
        self = .integers([])
        t.append(s)
        self = .text(t)
    }

    /// Sets `rows` to `value`: an integer (as stored) for an integer column, a text or null for text.
    public mutating func set(rows: [Int32], to value: StoredValue) {
        switch (self, value) {
        case (.integers(var a), _):
            guard case .integer(let v) = value else { preconditionFailure("text for an integer column") }
            self = .integers([])  // let `a` be uniquely referenced, so the writes do not copy
            a.set(rows: rows, to: v)
            self = .integers(a)
        case (.text(var t), .text(let s)):
            self = .integers([])
            t.set(rows: rows, s)
            self = .text(t)
        case (.text(var t), .integer(let v)):
            precondition(v == nullInt, "an integer for a text column")
            self = .integers([])
            t.set(rows: rows, nil)
            self = .text(t)
        }
    }

    /// Removes `rows` (ascending, distinct, in range), keeping the order of the rest.
    public mutating func remove(rows: [Int32]) {
        switch self {
        case .integers(var a):
            self = .integers([])
            a.remove(rows: rows)
            self = .integers(a)
        case .text(var t):
            self = .integers([])
            t.remove(rows: rows)
            self = .text(t)
        }
    }

    public mutating func reserve(_ n: Int) {
        switch self {
        case .integers(var a):
            self = .integers([])
            a.reserveCapacity(n)
            self = .integers(a)
        case .text(var t):
            self = .integers([])
            t.reserve(n)
            self = .text(t)
        }
    }
}
