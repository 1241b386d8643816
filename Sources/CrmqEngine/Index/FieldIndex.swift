/// The index kept on one field, chosen by its type.
public enum FieldIndex: Sendable {
    /// Enums, bools and references (for a reference, the reverse index: target id -> rows).
    case posting(PostingIndex)
    /// Text: the dictionary in alphabetical order, and the rows of each value.
    case text(TextIndex)
    /// Numbers and dates: values in order, for ranges and top-k.
    case sorted(SortedIndex)

    /// Builds the index that suits `field` over `column`. `referenceKeys` is the key space of a
    /// reference (the target collection's highest id + 1).
    static func build(_ field: FieldDef, _ column: Column, schema: Schema, referenceKeys: Int,
                      cancellation: Cancellation) throws(Diagnostic) -> FieldIndex {
        switch field.type {
        case .text:
            return .text(try TextIndex(column.textColumn, cancellation: cancellation))
        case .enumeration(let name):
            return .posting(PostingIndex(keys: column.integers.int64Array(), keyCount: schema.enumValues(name).count))
        case .bool:
            return .posting(PostingIndex(keys: column.integers.int64Array(), keyCount: 2))
        case .reference:
            // A dangling reference (to an id that does not exist) still has to be found by `= id`.
            let highest = column.integers.range?.max ?? 0
            return .posting(PostingIndex(keys: column.integers.int64Array(), keyCount: max(referenceKeys, Int(highest) + 1)))
        case .int, .money, .percent, .date, .datetime:
            return .sorted(try SortedIndex(column: column.integers, cancellation: cancellation))
        }
    }

    public var kind: String {
        switch self {
        case .posting: "postings"
        case .text: "text"
        case .sorted: "sorted"
        }
    }

    public var memory: Int {
        switch self {
        case .posting(let p): p.memory
        case .text(let t): t.memory
        case .sorted(let s): s.memory
        }
    }
}
