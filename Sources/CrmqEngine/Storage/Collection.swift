/// All records of one entity, stored column-wise.
public struct Collection: Sendable {
    public let entity: EntityDef
    /// One column per field of `entity`, in the same order; column 0 is `id`.
    public private(set) var columns: [Column]
    /// Row of each id (`-1` when no such record): ids are small positive integers handed out in order,
    /// so an array beats a hash table here.
    public private(set) var rowOfId: [Int32] = []

    /// The fields that should have an index: the schema's standard set plus `index` statements.
    public internal(set) var indexedFields: Set<Int>
    /// The built indexes by field position; a field in `indexedFields` without one here is rebuilt
    /// by `Database.buildIndexes()`.
    public internal(set) var indexes: [Int: FieldIndex] = [:]

    public init(entity: EntityDef) {
        self.entity = entity
        self.columns = entity.fields.map { Column(for: $0.type) }
        self.indexedFields = Set(entity.fields.indices.filter { entity.fields[$0].indexed })
    }

    public var count: Int { columns[0].count }

    public var ids: [Int64] { columns[0].integers }

    /// The next id to hand out.
    public var nextId: Int64 { Int64(max(rowOfId.count, 1)) }

    public func row(ofId id: Int64) -> Int? {
        guard id >= 0, id < rowOfId.count else { return nil }
        let r = rowOfId[Int(id)]
        return r < 0 ? nil : Int(r)
    }

    /// The index on field `f`, if one is built.
    public func index(_ f: Int) -> FieldIndex? { indexes[f] }

    public mutating func reserve(_ n: Int) {
        for i in columns.indices { columns[i].reserve(n) }
        rowOfId.reserveCapacity(n + 1)
    }

    /// Appends one record. `values` holds, per field after `id`, either an integer (as stored) or a text.
    /// Callers (the generator, loaders, `create`) have validated the values against the schema.
    public mutating func append(id: Int64, _ values: [StoredValue]) {
        precondition(values.count == columns.count - 1, "one value per field")
        let row = Int32(count)
        columns[0].appendInteger(id)
        for (i, v) in values.enumerated() {
            switch v {
            case .integer(let n):
                // A null arriving for a text field is stored as a text null.
                if case .text = columns[i + 1] { columns[i + 1].appendText(nil) } else { columns[i + 1].appendInteger(n) }
            case .text(let s): columns[i + 1].appendText(s)
            }
        }
        // Appends make every index stale; they are rebuilt before the next query.
        if !indexes.isEmpty { indexes.removeAll() }
        if Int(id) >= rowOfId.count {
            rowOfId.append(contentsOf: repeatElement(-1, count: Int(id) - rowOfId.count + 1))
        }
        rowOfId[Int(id)] = row
    }
}

/// A value as a column stores it.
public enum StoredValue: Sendable {
    case integer(Int64)
    case text(String?)

    public static let null = StoredValue.integer(nullInt)
}
