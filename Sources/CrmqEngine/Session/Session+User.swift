/// The session's user: who a stage move is recorded as made by (`stage_changes.changed_by`) and who
/// owns a deal created without an owner. Set with `--user EMAIL` or `.user EMAIL`; nobody when unset.
extension Session {
    /// The user whose email is `email` (ignoring case), or an error with did-you-mean over the emails.
    public func findUser(email: String, at range: SourceRange? = nil) throws(Diagnostic) -> Int64 {
        guard let users = database.schema.entity(named: "users"), let f = users.fieldIndex("email") else {
            throw Diagnostic(.shell, "this data has no users with emails", at: range)
        }
        var session = self
        try session.read(["users"])
        let c = session.database[users.name]
        let emails = c.columns[f].textColumn
        let key = email.lowercased()
        var all: [String] = []
        for row in 0..<c.count {
            guard let e = emails[row] else { continue }
            if e.lowercased() == key { return c.ids[row] }
            all.append(e)
        }
        throw Diagnostic(.shell, "no user has the email \"\(email)\"", at: range,
                         hint: Suggestions.didYouMean(email, in: all) ?? "find users show name, email lists them")
    }

    /// Sets the session's user by email; nil (or `off`) for nobody.
    public mutating func setUser(email: String?, at range: SourceRange? = nil) throws(Diagnostic) {
        guard let email, email.lowercased() != "off" else {
            user = nil
            asOfView = nil
            permissionView = nil
            return
        }
        user = try findUser(email: email, at: range)
        // The role and `me` are read from the user's record (Permissions/).
        try read(["users"])
        asOfView = nil
        permissionView = nil
    }

    /// `Anna Berg <anna.berg@example.com> (user 3)`, or `nobody`.
    public func describeUser() -> String {
        guard let user else { return "nobody" }
        // Users not read yet from a file (or since deleted) leave only the id to show.
        guard let users = database.schema.entity(named: "users"),
              let row = database[users.name].row(ofId: user) else { return "user \(user)" }
        let c = database[users.name]
        let name = users.fieldIndex("name").flatMap { c.columns[$0].textColumn[row] }
        let email = users.fieldIndex("email").flatMap { c.columns[$0].textColumn[row] }
        return [name, email.map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ") + " (user \(user))"
    }

    /// A change executor with the session's clock, user and exit criteria: what `create`, `update`,
    /// `upsert` and `move` run through, and what an importer should use so its rows meet the same rules.
    public func changeExecutor(for entity: String, cancellation: Cancellation = .none) throws(Diagnostic) -> ChangeExecutor {
        ChangeExecutor(db: permissionView.flatMap { $0.user == user ? $0.database : nil } ?? database, now: changeTime, user: user, rules: try exitRules(for: entity), cancellation: cancellation)
    }

    /// The exit criteria a change to `entity` must meet: none but for deals.
    func exitRules(for entity: String) throws(Diagnostic) -> ExitRules {
        entity == Database.dealEntity && database.schema.hasExitCriteria ? try binder.exitRules() : ExitRules(entries: [])
    }
}
