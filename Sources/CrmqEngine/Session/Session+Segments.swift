/// Segments and the fiscal year in a session: the binder sees the catalog of the data, and a
/// catalog change is committed as a record change is (journaled outside a transaction, with the
/// transaction inside one, and undone by its rollback).
extension Session {
    /// A binder for the session's schema, today, segments and fiscal year.
    var binder: Binder {
        var b = Binder(schema: database.schema, today: settings.today)
        b.fiscalYearStartMonth = database.catalog.fiscalYearStartMonth
        b.segments = database.catalog.segments
        b.me = meContext
        b.hidden = hiddenFields
        // The grants as changed; with no change the binder's own default is the same (and building
        // the standard grants for every statement cost a point lookup a fifth of its time).
        b.grants = database.catalog.grantChanges.isEmpty ? nil : grants
        b.rules = database.catalog.rules
        return b
    }

    mutating func executeCatalog(_ change: CatalogChange, at range: SourceRange? = nil,
                                 on console: inout some Console) throws(Diagnostic) {
        if role != Grants.admin { throw catalogRefusal(change, role: role, at: range) }
        if case .grant(let g) = change, let held = grants.alreadyHeld(g) {
            console.write(held + ": nothing to grant\n")
            return
        }
        if case .grant(let g) = change, let missing = grants.notHeld(g) {
            console.error("warning: \(missing): nothing to revoke\n")
            return
        }
        if case .pipeline(let p) = change, let refusal = pipelineRefusal(p, at: range) { throw refusal }
        // The binder checked the change; this catches a bug before it can reach the journal.
        if let problem = database.catalog.problem(change, schema: database.schema) {
            throw Diagnostic(.executor, "internal error: \(problem); nothing was changed")
        }
        let changes = [DataChange.catalog(change)]
        if transaction != nil {
            database.apply(changes)
            transaction!.changes += changes
            transaction!.statements += 1
        } else if sandbox != nil {
            database.apply(changes)
            sandbox!.record(changes)
        } else {
            if file != nil {
                do {
                    try file!.commit(changes, before: database, at: changeTime)
                } catch {
                    var d = error.diagnostic
                    d.hint = d.hint ?? "nothing was changed"
                    throw d
                }
            }
            database.apply(changes)
        }
        console.write(summary(of: change) + "\n")
    }

    private func summary(of change: CatalogChange) -> String {
        switch change {
        case .defineSegment(let s):
            return "defined segment \(s.name) (\(s.entity))"
        case .dropSegment(let name):
            return "dropped segment \(name)"
        case .fiscalYearStart(let month):
            return "the fiscal year starts in \(FiscalCalendar.monthNames[month - 1]); "
                + FiscalCalendar.describeYear(containing: settings.today, startMonth: month)
        case .pipeline(let p):
            return summary(of: p)
        case .schema(let s):
            return s.summary
        case .grant(let g):
            return g.summary
        case .rule(let r):
            return r.summary
        }
    }
}
