/// Completing `report KIND [clauses]`: the kinds, then the clauses the kind takes (a period's first
/// word, `by` and its keys, `for pipeline`, `where`), each until it is given.
extension CompletionWalk {
    mutating func reportKind(_ word: String) {
        report = ReportRegistry.definition(named: word)
        entity = report.flatMap { schema.entity(named: $0.baseEntity) }
        expect = report == nil ? .nothing : .clause
    }

    /// Marks a report's period and pipeline as given once their first word is.
    mutating func reportClauseWord(_ word: String) {
        if ["this", "last", "next", "between"].contains(word) { seen.insert("period") }
        if word == "for" { seen.insert("for") }
    }

    /// The clauses of the report being written that are not given yet.
    var reportClauses: [String] {
        guard let report else { return [] }
        var list: [String] = []
        if clause == .filter { list += betweenPending ? ["and"] : ["and", "or"] }
        let c = report.clauses
        if c.defaultPeriod != nil && !seen.contains("period") { list += ["this", "last", "next", "between"] }
        if !c.groupings.isEmpty && !seen.contains("by") { list.append("by") }
        if c.pipeline && !seen.contains("for") { list.append("for pipeline") }
        if !seen.contains("as of") { list.append("as of") }
        if !seen.contains("where") { list.append("where") }
        return list
    }
}
