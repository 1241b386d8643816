/// Whether changes another crmq process committed to the file while a sandbox was open conflict
/// with the sandbox's: then `sandbox apply` is refused, and says why.
///
/// The rule is optimistic locking at the level of records: the sandbox may be applied on top of
/// the other process's changes unless both changed or deleted the same record, one refers to a
/// record the other deleted, the other changed the schema or a pipeline (the sandbox's changes
/// name fields and stages as they were), or both changed the same catalog entry (a segment, the
/// fiscal year). Records created on both sides are not a conflict: the sandbox's are numbered
/// after the other's (`SandboxRenumbering`).
struct SandboxConflicts {
    let sandbox: TouchedRecords
    let others: TouchedRecords

    /// The first conflict, in words; nil when the sandbox can be applied on top of the others' changes.
    func first(in schema: Schema) -> String? {
        // Not an exhaustive switch: a kind of catalog change added later (rules, grants) does
        // not conflict until it says so here.
        for change in others.catalog {
            if case .schema(let s) = change { return "another crmq process changed the schema (\(s.summary))" }
            if case .pipeline(let p) = change { return "another crmq process changed pipeline \"\(p.pipelineName)\"" }
            if let name = change.segmentName, sandbox.catalog.contains(where: { $0.segmentName == name }) {
                return "another crmq process also changed segment \(name)"
            }
            if case .rule(let r) = change, sandbox.catalog.contains(where: {
                if case .rule(let mine) = $0 { mine.name.lowercased() == r.name.lowercased() } else { false }
            }) {
                return "another crmq process also changed rule \(r.name)"
            }
            if case .fiscalYearStart = change,
               sandbox.catalog.contains(where: { if case .fiscalYearStart = $0 { true } else { false } }) {
                return "another crmq process also set the fiscal year start"
            }
        }
        for entity in sandbox.entities.sorted() {
            let title = schema.entity(named: entity)?.singular ?? entity
            let ours = sandbox.changed[entity] ?? []
            let theirs = others.changed[entity] ?? []
            if let id = ours.intersection(theirs).min() {
                let more = ours.intersection(theirs).count - 1
                return "another crmq process changed \(title) \(id)" + (more > 0 ? " and \(more) more \(entity)" : "")
                    + ", which the sandbox changes too"
            }
        }
        for (entity, ids) in sandbox.referenced.sorted(by: { $0.key < $1.key }) {
            if let id = ids.intersection(others.deleted[entity] ?? []).min() {
                return "another crmq process deleted \(schema.entity(named: entity)?.singular ?? entity) \(id), which the sandbox refers to"
            }
        }
        for (entity, ids) in others.referenced.sorted(by: { $0.key < $1.key }) {
            if let id = ids.intersection(sandbox.deleted[entity] ?? []).min() {
                return "another crmq process refers to \(schema.entity(named: entity)?.singular ?? entity) \(id), which the sandbox deletes"
            }
        }
        return nil
    }
}

extension CatalogChange {
    /// The segment a change defines or drops.
    var segmentName: String? {
        switch self {
        case .defineSegment(let s): s.name
        case .dropSegment(let name): name
        default: nil
        }
    }
}
