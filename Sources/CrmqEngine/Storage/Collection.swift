/// All records of one entity, stored column-wise.
public struct Collection: Sendable {
    public internal(set) var entity: EntityDef
    /// One column per field of `entity`, in the same order; column 0 is `id`.
    public internal(set) var columns: [Column]
    /// Row of each id present: memory follows the records, not the ids handed out.
    public internal(set) var idMap = IdMap()
    /// The next id to hand out: above every id ever handed out, present or deleted.
    public internal(set) var nextId: Int64 = 1

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

    /// A collection as a snapshot stores it. The caller has checked the columns against the entity
    /// and every id: each is in `1 ..< nextId` and appears once.
    public init(entity: EntityDef, columns: [Column], nextId: Int64, indexedFields: Set<Int>) {
        self.entity = entity
        self.columns = columns
        self.indexedFields = indexedFields
        self.idMap = IdMap(ids: columns[0].integers)
        self.nextId = max(nextId, 1)
    }

    public var count: Int { columns[0].count }

    public var ids: IntColumn { columns[0].integers }

    public func row(ofId id: Int64) -> Int? {
        let r = idMap.row(id)
        return r < 0 ? nil : Int(r)
    }

    /// The index on field `f`, if one is built.
    public func index(_ f: Int) -> FieldIndex? { indexes[f] }

    public mutating func reserve(_ n: Int) {
        for i in columns.indices { columns[i].reserve(n) }
        idMap.reserve(n)
    }

    /// Appends one record. `values` holds, per field after `id`, either an integer (as stored) or a text.
    /// Callers (the generator, loaders, `create`) have validated the values against the schema.
    public mutating func append(id: Int64, _ values: [StoredValue]) {
        precondition(values.count == columns.count - 1, "one value per field")
        // Each index takes the row in place (Collection+IndexUpkeep.swift); a sorted index lets go
        // of the column it shares meanwhile, since appending to a shared array would copy it.
        var held = takeIndexes(changing: 1)
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
        if !held.isEmpty { putBack(&held, inserting: [row]) }
        idMap.insert(id, row: row, records: count)
        nextId = max(nextId, id + 1)
    }
}

extension Collection {
    /// Replaces every stored integer of field `field` (as many as there are rows): re-coding an enum
    /// when its values change. Only that field's index goes stale.
    public mutating func replaceIntegers(_ field: Int, with values: [Int64]) {
        precondition(field > 0 && values.count == count, "ids never change; one value per row")
        if columns[field].integers.elementsEqual(values) { return }
        indexes[field] = nil
        columns[field] = .integers(IntColumn(values))
    }

    /// Sets field `field` of `rows` to `value` (validated by the caller). Only that field's index
    /// changes, in place (Collection+IndexUpkeep.swift); the others stay valid, since no row moves.
    public mutating func set(_ field: Int, rows: [Int32], to value: StoredValue) {
        precondition(field > 0, "ids never change")
        if rows.isEmpty { return }
        changeRows(field, rows) { $0.set(rows: rows, to: value) }
    }

    /// Replaces field `field`'s values with `column` (as many rows, validated by the caller): the
    /// view of the data `as of` a moment (AsOfView.swift). Only that field's index goes stale.
    public mutating func replace(_ field: Int, with column: Column) {
        precondition(field > 0 && column.count == count, "ids never change; one value per row")
        indexes[field] = nil
        columns[field] = column
    }

    /// Removes `rows` (ascending, distinct, in range). Later rows move up, so the id map is fixed
    /// from the first removed row on, and every index renumbers its rows (or is dropped when most
    /// rows go). The id slots of removed records stay, empty: ids are never handed out twice.
    public mutating func delete(rows: [Int32]) {
        guard let first = rows.first else { return }
        deleteRows(rows) { c in
            let ids = c.columns[0].integers
            for r in rows { c.idMap.remove(ids[Int(r)]) }
            for i in c.columns.indices { c.columns[i].remove(rows: rows) }
            let remaining = c.columns[0].integers
            for row in Int(first)..<remaining.count { c.idMap.move(remaining[row], to: Int32(row)) }
        }
    }
}

/// A value as a column stores it.
public enum StoredValue: Hashable, Sendable {
    case integer(Int64)
    case text(String?)

    public static let null = StoredValue.integer(nullInt)
}
