/// Which triggering records meet a rule's `when`. A filter is run as a query's `where` is
/// (planner, then `RowSelector`), narrowed to the triggering ids; a `changes` test compares each
/// record's field before and after the change.
struct RuleMatcher {
    /// The data before the change, and as the change leaves it.
    let before: Database
    let after: Database
    var cancellation: Cancellation = .none
    /// For `explain rule`: a `changes` test keeps the records a change could set it off for (not
    /// yet at its `to`, at its `from`), there being no change to compare with.
    var assumeChanges = false

    /// The records of `ids` (of `entity`) that meet `condition`, in id order; read as they were
    /// before the change when `inBefore` (a delete), else as they are after it.
    func matching(_ condition: RuleCondition?, _ entity: String, _ ids: [Int64], inBefore: Bool) throws(Diagnostic) -> [Int64] {
        guard let condition, !ids.isEmpty else { return ids }
        return try evaluate(condition, entity, ids, inBefore ? before : after).sorted()
    }

    private func evaluate(_ c: RuleCondition, _ entity: String, _ ids: [Int64], _ db: Database) throws(Diagnostic) -> Set<Int64> {
        switch c {
        case .filter(let f):
            return try RuleMatcher.select(f, entity, ids, in: db, cancellation: cancellation)
        case .changes(let field, let from, let to):
            var out = Set<Int64>()
            if assumeChanges {
                for id in ids {
                    guard let now = RuleMatcher.value(after, entity, id, field) else { continue }
                    if let to, RuleMatcher.same(now, to) { continue }
                    if let from, !RuleMatcher.same(now, from) { continue }
                    out.insert(id)
                }
                return out
            }
            let was = before[entity], now = after[entity]
            let wasIds = was.ids, wasColumn = was.columns[field], nowColumn = now.columns[field]
            for id in ids {
                guard let row = now.row(ofId: id) else { continue }
                // Without inserts or deletes between them, a record keeps its row.
                let old: StoredValue
                if row < wasIds.count && wasIds[row] == id {
                    old = RuleMatcher.value(wasColumn, row)
                } else if let r = was.row(ofId: id) {
                    old = RuleMatcher.value(wasColumn, r)
                } else { continue }
                let new = RuleMatcher.value(nowColumn, row)
                if RuleMatcher.same(old, new) { continue }
                if let from, !RuleMatcher.same(old, from) { continue }
                if let to, !RuleMatcher.same(new, to) { continue }
                out.insert(id)
            }
            return out
        case .and(let parts):
            var left = Set(ids)
            for p in parts where !left.isEmpty { left = try evaluate(p, entity, left.sorted(), db) }
            return left
        case .or(let parts):
            var out = Set<Int64>()
            for p in parts { out.formUnion(try evaluate(p, entity, ids, db)) }
            return out
        case .not(let inner):
            return Set(ids).subtracting(try evaluate(inner, entity, ids, db))
        }
    }

    /// The records among `ids` that `filter` keeps (every record of `entity` when `ids` is nil).
    static func select(_ filter: BoundFilter, _ entity: String, _ ids: [Int64]?, in db: Database,
                       cancellation: Cancellation) throws(Diagnostic) -> Set<Int64> {
        let collection = db[entity]
        var f = filter
        // Every record changed (a bulk update): the filter alone, without a test on 100,000 ids.
        if let ids, ids.count < collection.count { f = .and([idTest(collection.entity, ids), filter]) }
        let rows = try RowSelector(db: db, cancellation: cancellation).rows(Planner(db).planFilter(f, on: entity))
        let all = collection.ids
        return Set(rows.map { all[Int($0)] })
    }

    /// `id in (ids)` on `entity`.
    static func idTest(_ entity: EntityDef, _ ids: [Int64]) -> BoundFilter {
        let path = BoundPath(root: entity.name, hops: [], field: FieldRef(entity: entity.name, field: 0),
                             type: entity.fields[0].type, text: "id")
        return .test(path, .oneOf(ids))
    }

    /// Field `field` of record `id`, or nil when there is no such record.
    static func value(_ db: Database, _ entity: String, _ id: Int64, _ field: Int) -> StoredValue? {
        let c = db[entity]
        guard let row = c.row(ofId: id) else { return nil }
        return value(c.columns[field], row)
    }

    static func value(_ column: Column, _ row: Int) -> StoredValue {
        switch column {
        case .integers(let a): return .integer(a[row])
        case .text(let t):
            let code = t.codes[row]
            return code < 0 ? .null : .text(t.dictionary[Int(code)])
        }
    }

    /// Equal as `=` compares: text without regard to case; null equals only null here.
    static func same(_ a: StoredValue, _ b: StoredValue) -> Bool {
        switch (a, b) {
        case (.text(let x?), .text(let y?)): x.lowercased() == y.lowercased()
        case (.text(nil), .text(nil)), (.text(nil), .integer(nullInt)), (.integer(nullInt), .text(nil)): true
        default: a == b
        }
    }
}
