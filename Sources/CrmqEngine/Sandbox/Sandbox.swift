/// An open sandbox: the data as it was at `sandbox`, and every change made since, in order.
///
/// `Database` is a value type whose columns are copy-on-write, so keeping `base` costs nothing
/// until a change touches a column; then only that column is copied. The changes are applied to
/// the session's data in memory and kept here instead of being journaled: `sandbox apply` writes
/// them as one journal record, `sandbox discard` puts `base` back.
struct Sandbox: Sendable {
    /// The data when the sandbox started (collections read later are added as they are read).
    var base: Database
    /// The changes since, in the order they were made: what `sandbox apply` commits.
    var changes: [DataChange] = []
    /// The statements that made them, for the messages.
    var statements = 0

    /// Keeps the changes of one statement (or of a transaction committed inside the sandbox).
    mutating func record(_ changes: [DataChange], statements: Int = 1) {
        self.changes += changes
        self.statements += statements
    }

    /// The records the changes touch, by entity: what another process must not have touched too.
    func touched(in schema: Schema) -> TouchedRecords { TouchedRecords(changes, schema: schema) }
}

/// The records a list of changes creates, changes or deletes, and refers to, by entity; and its
/// catalog changes.
struct TouchedRecords: Sendable {
    var created: [String: [Int64]] = [:]
    /// Updated or deleted.
    var changed: [String: Set<Int64>] = [:]
    var deleted: [String: Set<Int64>] = [:]
    /// The records the values set name, by the entity they are in: a reference must not be left
    /// pointing at a record the other side deleted.
    var referenced: [String: Set<Int64>] = [:]
    var catalog: [CatalogChange] = []

    init(_ changes: [DataChange], schema: Schema) {
        func refer(_ entity: String, _ field: Int, _ value: StoredValue) {
            guard let fields = schema.entity(named: entity)?.fields, field < fields.count,
                  case .reference(let target) = fields[field].type, case .integer(let id) = value, id != nullInt else { return }
            referenced[target, default: []].insert(id)
        }
        for c in changes {
            switch c {
            case .insert(let e, let id, let values):
                created[e, default: []].append(id)
                for (i, v) in values.enumerated() { refer(e, i + 1, v) }
            case .insertBatch(let e, let batch):
                created[e, default: []] += batch.ids
                for (i, column) in batch.columns.enumerated() {
                    guard case .integers(let values) = column else { continue }
                    for v in values { refer(e, i + 1, .integer(v)) }
                }
            case .assign(let e, let f, let v, let ids):
                changed[e, default: []].formUnion(ids)
                refer(e, f, v)
            case .delete(let e, let ids):
                changed[e, default: []].formUnion(ids)
                deleted[e, default: []].formUnion(ids)
            case .catalog(let change): catalog.append(change)
            }
        }
    }

    /// Every entity with a record created, changed or deleted.
    var entities: Set<String> { Set(created.keys).union(changed.keys) }

    /// Whether the changes add, rename or drop a field or add an entity.
    var changesSchema: Bool { catalog.contains { if case .schema = $0 { true } else { false } } }
}
