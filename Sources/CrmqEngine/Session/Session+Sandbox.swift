/// The sandbox in a session: `sandbox` starts one, `sandbox diff` shows what it would change,
/// `sandbox apply` commits it, `sandbox discard` throws it away.
///
/// While one is open, every change (records, fields, entities, pipelines, segments, imports)
/// goes through `commit` and `executeCatalog` as usual, and there is applied to the data in
/// memory and kept in the sandbox instead of being journaled. `begin`, `commit` and `rollback`
/// work inside it: a committed transaction joins the sandbox. `save` and `.open` are refused
/// (a checkpoint of the sandbox's data, or leaving it for another file, would lose or publish it
/// unasked). A refused sandbox statement leaves an open transaction open, as `.open` does.
extension Session {
    /// Whether `sandbox` was run and neither `sandbox apply` nor `sandbox discard` since.
    public var inSandbox: Bool { sandbox != nil }

    /// How many statements the open sandbox holds; nil when none is open.
    public var sandboxStatements: Int? { sandbox?.statements }

    mutating func executeSandbox(_ control: SandboxControl, at range: SourceRange?,
                                 on console: inout some Console) throws(Diagnostic) {
        switch control {
        case .start:
            if let s = sandbox {
                throw misuse("a sandbox is already open (\(SandboxDiff.plural(s.statements, "statement")) in it)", at: range,
                             hint: "sandbox diff shows its changes; sandbox apply or sandbox discard ends it")
            }
            if transaction != nil {
                throw misuse("a transaction is open", at: range, hint: "commit or rollback first, then start the sandbox")
            }
            sandbox = Sandbox(base: database)
            console.write("sandbox started: changes stay in memory until sandbox apply or sandbox discard\n")
        case .diff:
            let s = try openSandbox("diff", at: range)
            console.write(SandboxDiff(base: s.base, now: transaction?.before ?? database, changes: s.changes,
                                      statements: s.statements).render())
            if let t = transaction {
                console.write("(a transaction is open: " + (t.statements == 1 ? "its 1 statement joins" : "its \(t.statements) statements join")
                              + " the sandbox at commit)\n")
            }
        case .apply:
            let s = try openSandbox("apply", at: range)
            if transaction != nil {
                throw misuse("a transaction is open in the sandbox", at: range,
                             hint: "commit or rollback it first, then sandbox apply")
            }
            try applySandbox(s, at: range, on: &console)
        case .discard:
            let s = try openSandbox("discard", at: range)
            let undone = transaction?.statements ?? 0
            transaction = nil
            database = s.base
            sandbox = nil
            console.write("discarded the sandbox: \(SandboxDiff.plural(s.statements + undone, "statement")) undone\n")
        }
    }

    /// Ends an open sandbox without applying it (a script ends, the user says no on leaving);
    /// returns how many statements were undone, or nil when none was open.
    public mutating func discardSandbox() -> Int? {
        guard let s = sandbox else { return nil }
        let undone = s.statements + (transaction?.statements ?? 0)
        transaction = nil
        database = s.base
        sandbox = nil
        return undone
    }

    /// Refuses `what` (`save`, `.open`) while a sandbox is open.
    func refuseInSandbox(_ what: String, at range: SourceRange?) throws(Diagnostic) {
        guard sandbox != nil else { return }
        throw misuse("\(what) is not allowed in a sandbox", at: range,
                     hint: "sandbox apply commits its changes, sandbox discard drops them; then \(what)")
    }

    // MARK: - Apply

    /// Commits the sandbox's changes as one journal record. When another crmq process committed to
    /// the file meanwhile, its changes are read first: the sandbox's go on top of them unless they
    /// conflict (`SandboxConflicts`), and the session sees both after.
    private mutating func applySandbox(_ s: Sandbox, at range: SourceRange?, on console: inout some Console) throws(Diagnostic) {
        let diff = SandboxDiff(base: s.base, now: database, changes: s.changes, statements: s.statements)
        var result = database
        var renumbered: [String] = []
        if !s.changes.isEmpty, file != nil {
            var f = file!
            let others: [[DataChange]]?
            do {
                others = try f.changesByOthers(schema: s.base.schema)
            } catch {
                throw refused(error.diagnostic.message)
            }
            guard let others else {
                throw refused("another crmq process saved \(DataFileError.quoted(f.path)) since the sandbox started",
                              hint: "sandbox diff shows the sandbox's changes; discard it, .open the file again and redo them")
            }
            var before = s.base
            var changes = s.changes
            if !others.isEmpty {
                let theirs = others.flatMap { $0 }
                let touched = s.touched(in: s.base.schema)
                if let conflict = SandboxConflicts(sandbox: touched, others: TouchedRecords(theirs, schema: s.base.schema))
                    .first(in: s.base.schema) {
                    throw refused(conflict)
                }
                // The collections the other process changed must be read before its changes go on
                // them, and the targets of their references, against which they are checked.
                try read(collections(changedBy: theirs))
                before = sandbox!.base
                for record in others {
                    if let problem = before.problem(applying: record) { throw refused("another crmq process's change does not fit: \(problem)") }
                    before.apply(record)
                }
                let renumbering = SandboxRenumbering(base: sandbox!.base, after: before)
                let clashing = Set(renumbering.shifts.keys).intersection(touched.created.keys).sorted()
                if !clashing.isEmpty {
                    if touched.changesSchema {
                        throw refused("another crmq process created \(CrmqText.list(clashing)) while the sandbox changed the schema",
                                      hint: "the sandbox's new records cannot be renumbered after theirs; discard it and redo it")
                    }
                    renumbered = clashing.map { e in "\(e) from \(renumbering.id(e, touched.created[e]!.min()!))" }
                }
                changes = renumbering.apply(s.changes)
                if let problem = before.problem(applying: changes) {
                    throw refused("the sandbox's changes no longer fit the data another crmq process left: \(problem)")
                }
                result = before
                result.apply(changes)
            }
            do {
                try f.commit(changes, before: before, at: changeTime)
            } catch {
                // `file` keeps the journal as it was before the other process's records were read:
                // the session's data does not hold them, so its next commit must notice them again.
                var d = error.diagnostic
                d.message = "cannot apply the sandbox: " + d.message
                d.hint = "the sandbox is still open"
                throw d
            }
            file = f
        }
        sandbox = nil
        database = result
        var message = "applied the sandbox: \(SandboxDiff.plural(s.statements, "statement")), "
            + "\(SandboxDiff.plural(diff.recordCount, "record")) changed"
        if !diff.catalog.isEmpty { message += ", \(SandboxDiff.plural(diff.catalog.count, "schema or catalog change"))" }
        if file != nil && !s.changes.isEmpty { message += ", committed as one transaction" }
        if !renumbered.isEmpty {
            message += "; another crmq process created records meanwhile, so the sandbox's new ones are numbered after "
                + "theirs: " + renumbered.joined(separator: ", ")
        }
        console.write(message + "\n")
    }

    /// The collections `changes` touch, and those their references point into.
    private func collections(changedBy changes: [DataChange]) -> Set<String> {
        var names = Set(changes.compactMap(\.entity))
        for name in names {
            for f in database.schema.entity(named: name)?.fields ?? [] {
                if case .reference(let target) = f.type { names.insert(target) }
            }
        }
        return names
    }

    private func openSandbox(_ what: String, at range: SourceRange?) throws(Diagnostic) -> Sandbox {
        guard let s = sandbox else {
            throw misuse("there is no sandbox to \(what)", at: range, hint: "sandbox starts one")
        }
        return s
    }

    private func refused(_ why: String, hint: String = "the sandbox is still open: sandbox diff shows its changes, sandbox discard drops them") -> Diagnostic {
        Diagnostic(.executor, "cannot apply the sandbox: \(why)", hint: hint)
    }

    /// A sandbox statement used where it does not fit: a shell-stage error, so that it leaves an
    /// open transaction open (see `rollBackAfterFailure`).
    private func misuse(_ message: String, at range: SourceRange?, hint: String) -> Diagnostic {
        Diagnostic(.shell, message, at: range, hint: hint)
    }
}
