/// The type of a field, as users see it in `.schema` and as the binder checks it.
public enum FieldType: Hashable, Sendable {
    /// Free text; `=` and `in` compare it case-insensitively.
    case text
    case int
    /// Exact to the cent; stored as integer cents.
    case money
    /// 0 to 100, exact to a hundredth; stored as integer hundredths.
    case percent
    case bool
    /// A calendar day; stored as days since 1970-01-01.
    case date
    /// A moment; stored as seconds since 1970-01-01T00:00:00Z.
    case datetime
    /// One of a known, ordered list of values, named in `Schema.enums` (e.g. "stage").
    case enumeration(String)
    /// The id of a record of the named entity (e.g. "accounts").
    case reference(String)

    public var name: String {
        switch self {
        case .text: "text"
        case .int: "int"
        case .money: "money"
        case .percent: "percent"
        case .bool: "bool"
        case .date: "date"
        case .datetime: "datetime"
        case .enumeration(let e): "enum(\(e))"
        case .reference(let e): "reference(\(e))"
        }
    }

    /// Types whose values are stored as scaled integers (two decimal places).
    public var isDecimal: Bool { self == .money || self == .percent }
    public var isNumeric: Bool { self == .int || isDecimal }
    public var isTemporal: Bool { self == .date || self == .datetime }
    public var isText: Bool { self == .text }
}

/// One field of an entity.
public struct FieldDef: Hashable, Sendable {
    public var name: String
    public var type: FieldType
    /// A one-line description for `.schema` and help.
    public var summary: String
    /// Whether the standard set of indexes covers it. Every reference, enum, number and date is
    /// indexed; text only where people search it (names, emails, companies).
    public var indexed: Bool

    public init(_ name: String, _ type: FieldType, _ summary: String = "", indexed: Bool? = nil) {
        self.name = name
        self.type = type
        self.summary = summary
        self.indexed = indexed ?? (type != .text)
    }
}
