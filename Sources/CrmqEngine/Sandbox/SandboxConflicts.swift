/// Whether changes another crmq process committed to the file while a sandbox was open conflict
/// with the sandbox's: then `sandbox apply` is refused, and says why.
///
/// The rule is optimistic locking at the level of records: the sandbox may be applied on top of
/// the other process's changes unless both changed or deleted the same record, both created
/// records in the same collection (their new ids would be the same), the other changed the
/// schema or a pipeline (the sandbox's changes name fields and stages as they were), or both
/// changed the same catalog entry (a segment, the fiscal year).
struct SandboxConflicts {
    let sandbox: TouchedRecords
    let others: TouchedRecords

    /// The first conflict, in words; nil when the sandbox can be applied on top of the others' changes.
    func first(in schema: Schema) -> String? {
        for change in others.catalog {
            switch change {
            case .schema(let s):
                return "another crmq process changed the schema (\(s.summary))"
            case .pipeline(let p):
                return "another crmq process changed pipeline \"\(p.pipelineName)\""
            case .defineSegment, .dropSegment:
                if let name = change.segmentName, sandbox.catalog.contains(where: { $0.segmentName == name }) {
                    return "another crmq process also changed segment \(name)"
                }
            case .fiscalYearStart:
                if sandbox.catalog.contains(where: { if case .fiscalYearStart = $0 { true } else { false } }) {
                    return "another crmq process also set the fiscal year start"
                }
            default:
                continue
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
            if sandbox.created[entity] != nil, others.created[entity] != nil {
                return "another crmq process created \(entity) too (the new records would get the same ids)"
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
