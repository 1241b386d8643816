/// Changes, transactions and the data file, for a session.
///
/// A change statement is planned by `ChangeExecutor` against the data as it is, checked, then made
/// durable and applied: outside a transaction it is journaled (and synced) before it is applied and
/// reported, so what is reported committed survives a crash; inside one, it is applied at once (later
/// statements see it) and journaled as one record at `commit`. Any failing statement inside a
/// transaction rolls the whole transaction back, so a script never commits half of its work.
extension Session {
    /// An open transaction: the data as it was at `begin`, and the changes made since, in order.
    struct Transaction: Sendable {
        var before: Database
        var changes: [DataChange] = []
        var statements = 0
    }

    /// Whether `begin` was run and neither `commit` nor `rollback` since.
    public var inTransaction: Bool { transaction != nil }

    /// The moment changes are stamped with: pinned with `today` for reproducible scripts, else now.
    var changeTime: Int64 { settings.now ?? SystemFile.now }

    mutating func executeChange(_ change: BoundChange, on console: inout some Console,
                                cancellation: Cancellation) throws(Diagnostic) {
        // The statement picks its records among those the role may read (Permissions/).
        _ = try permittedData(cancellation: cancellation)
        let outcome = try changeExecutor(for: change.entity, cancellation: cancellation).run(change)
        try commit(outcome.changes, summary: outcome.summary, on: &console, cancellation: cancellation)
    }

    /// Makes a statement's changes durable and applies them, as one unit: journaled at once
    /// outside a transaction, or joined to the open one.
    mutating func commit(_ changes: [DataChange], summary: String, on console: inout some Console,
                         cancellation: Cancellation) throws(Diagnostic) {
        var outcome = ChangeExecutor.Outcome(changes: changes, summary: summary)
        // The executor builds changes that fit by construction; this catches a bug before it can
        // reach the journal, where it would stop the file from opening.
        if let problem = database.problem(applying: outcome.changes) {
            throw Diagnostic(.executor, "internal error: the change does not fit the data (\(problem)); nothing was changed")
        }
        // The workflow rules the change sets off act as part of it (Session+Rules.swift).
        let firing = try ruleActions(for: changes, summary: summary, cancellation: cancellation)
        if !firing.changes.isEmpty {
            outcome.changes += firing.changes
            outcome.summary += firing.notes.map { "\n" + $0 }.joined()
            if let problem = database.problem(applying: outcome.changes) {
                throw Diagnostic(.executor, "internal error: a rule's change does not fit the data (\(problem)); nothing was changed")
            }
        }
        // Roles: a change outside the grants of the session's role is refused whole, its rules'
        // actions with it (Permissions/).
        try checkPermissions(outcome.changes)
        // The last moment a change may be cancelled: once journaled it is committed, and is applied.
        try cancellation.check()
        // The view `as of` a moment shares the data's columns; dropped before the change (not after,
        // as `database`'s observer would), so that applying it does not copy them.
        asOfView = nil
        permissionView = nil
        if transaction != nil {
            database.apply(outcome.changes)
            transaction!.changes += outcome.changes
            transaction!.statements += 1
        } else if sandbox != nil {
            database.apply(outcome.changes)
            sandbox!.record(outcome.changes)
        } else {
            if !outcome.changes.isEmpty, file != nil {
                do {
                    try file!.commit(outcome.changes, before: database, at: changeTime)
                } catch {
                    throw notCommitted(error)
                }
            }
            database.apply(outcome.changes)
        }
        console.write(outcome.summary + "\n")
    }

    mutating func executeTransaction(_ control: TransactionControl, on console: inout some Console) throws(Diagnostic) {
        switch control {
        case .begin:
            // As psql does: a second begin is a warning, not an error that would end the first.
            guard transaction == nil else {
                console.error("warning: a transaction is already open; begin does nothing\n")
                return
            }
            transaction = Transaction(before: database)
            console.write("begin\n")
        case .commit:
            guard let t = transaction else {
                console.error("warning: there is no transaction to commit\n")
                return
            }
            if sandbox != nil {
                sandbox!.record(t.changes, statements: t.statements)
            } else if !t.changes.isEmpty, file != nil {
                do {
                    try file!.commit(t.changes, before: t.before, at: changeTime)
                } catch {
                    database = t.before
                    transaction = nil
                    var d = notCommitted(error)
                    d.message += "; the transaction was rolled back"
                    throw d
                }
            }
            transaction = nil
            console.write("committed \(statementCount(t.statements))\n")
        case .rollback:
            guard let t = transaction else {
                console.error("warning: there is no transaction to roll back\n")
                return
            }
            database = t.before
            transaction = nil
            console.write("rolled back \(statementCount(t.statements))\n")
        }
    }

    /// After a failing statement: ends an open transaction, undoing its changes. Shell commands
    /// (a mistyped `.format`) are not statements and leave it open.
    mutating func rollBackAfterFailure(_ d: Diagnostic, on console: inout some Console) {
        guard let t = transaction, d.stage != .shell else { return }
        database = t.before
        transaction = nil
        console.error("the transaction was rolled back: \(statementCount(t.statements)) undone\n")
    }

    /// Ends an open transaction without committing it (at the end of a script or session);
    /// returns how many statements were undone, or nil when none was open.
    public mutating func discardTransaction() -> Int? {
        guard let t = transaction else { return nil }
        database = t.before
        transaction = nil
        return t.statements
    }

    private func statementCount(_ n: Int) -> String {
        n == 1 ? "1 statement" : "\(n) statements"
    }

    private func notCommitted(_ error: DataFileError) -> Diagnostic {
        var d = error.diagnostic
        d.hint = d.hint ?? "nothing was changed"
        return d
    }
}
