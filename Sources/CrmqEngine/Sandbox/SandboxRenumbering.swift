/// The sandbox's new records renumbered to go after those another crmq process created meanwhile.
///
/// Both sides handed out ids from the same `nextId`; the other's are in the file already, so the
/// sandbox's move up by as many ids as the other handed out in that collection, and every value
/// the sandbox sets that names one of its own new records (a contact's account created in the
/// sandbox) moves with it. Records that existed before the sandbox keep their ids.
struct SandboxRenumbering {
    /// The first id the sandbox handed out, by entity.
    private var firstNew: [String: Int64] = [:]
    /// How far the sandbox's new ids move, by entity; only entities where the other created records.
    private(set) var shifts: [String: Int64] = [:]
    private let schema: Schema

    /// `after` is the data at `sandbox` with the other process's changes applied.
    init(base: Database, after: Database) {
        schema = base.schema
        for e in base.schema.entityNames where after.schema.entity(named: e) != nil {
            firstNew[e] = base[e].nextId
            let shift = after[e].nextId - base[e].nextId
            if shift > 0 { shifts[e] = shift }
        }
    }

    func id(_ entity: String, _ id: Int64) -> Int64 {
        guard let shift = shifts[entity], let first = firstNew[entity], id >= first else { return id }
        return id + shift
    }

    private func value(_ v: StoredValue, _ entity: String, _ field: Int) -> StoredValue {
        guard let fields = schema.entity(named: entity)?.fields, field < fields.count,
              case .reference(let target) = fields[field].type, case .integer(let x) = v, x != nullInt else { return v }
        return .integer(id(target, x))
    }

    /// The changes with the sandbox's new ids moved. The caller has made sure the changes do
    /// not change the schema (a field added would shift the values' positions).
    func apply(_ changes: [DataChange]) -> [DataChange] {
        if shifts.isEmpty { return changes }
        return changes.map { c in
            switch c {
            case .insert(let e, let i, let values):
                .insert(entity: e, id: id(e, i), values: values.enumerated().map { value($1, e, $0 + 1) })
            case .insertBatch(let e, let batch):
                .insertBatch(entity: e, batch: InsertBatch(ids: batch.ids.map { id(e, $0) }, columns: batch.columns.enumerated().map { f, column in
                    guard case .integers(let values) = column else { return column }
                    return .integers(values.map { x in
                        guard case .integer(let y) = value(.integer(x), e, f + 1) else { return x }
                        return y
                    })
                }))
            case .assign(let e, let f, let v, let ids):
                .assign(entity: e, field: f, value: value(v, e, f), ids: ids.map { id(e, $0) })
            case .delete(let e, let ids):
                .delete(entity: e, ids: ids.map { id(e, $0) })
            case .catalog:
                c
            }
        }
    }
}
