/// What a list of changes did to records, as rules see it: per entity, the records created,
/// updated and deleted. A record created or deleted by the same changes is not also updated (the
/// references a delete clears are updates of other records).
struct RuleEvents {
    private var created: [String: [Int64]] = [:]
    private var updated: [String: Set<Int64>] = [:]
    private var deleted: [String: [Int64]] = [:]

    init(_ changes: [DataChange]) {
        for change in changes {
            switch change {
            case .insert(let e, let id, _): created[e, default: []].append(id)
            case .insertBatch(let e, let batch): created[e, default: []] += batch.ids
            case .assign(let e, _, _, let ids): updated[e, default: []].formUnion(ids)
            case .delete(let e, let ids): deleted[e, default: []] += ids
            case .catalog: break
            }
        }
        for (e, ids) in created where updated[e] != nil { updated[e]!.subtract(ids) }
        for (e, ids) in deleted {
            if updated[e] != nil { updated[e]!.subtract(ids) }
            if created[e] != nil {
                let gone = Set(ids)
                created[e]!.removeAll { gone.contains($0) }
            }
        }
    }

    var isEmpty: Bool { created.isEmpty && updated.isEmpty && deleted.isEmpty }

    /// The records of `entity` an event of this kind happened to, in id order.
    func ids(_ trigger: RuleTrigger, of entity: String) -> [Int64] {
        switch trigger {
        case .create: (created[entity] ?? []).sorted()
        case .update: (updated[entity] ?? []).sorted()
        case .delete: (deleted[entity] ?? []).sorted()
        case .daily: []
        }
    }
}
