/// `convert lead 42`: a qualified lead becomes a contact, its company an account (an existing one
/// with that name, ignoring case, or a new one), usually an opportunity, and its activities move
/// to what it became; the lead is marked converted with links to the contact and the deal.
///
/// Every record is made by the statements a user would write (`create`, `update`), run by
/// `ChangeExecutor` one after the other on the data as it is, each given the changes of the steps
/// before it as pending (the contact refers to the new account, which the data has not got yet).
/// No step selects by a field an earlier one sets, so the data without them selects the same rows.
/// The changes of all of them come back together: the session checks, journals and applies them as
/// one unit, so a conversion happens whole or not at all. Nothing is copied: the cost follows what
/// the conversion changes, not the size of the data.
struct LeadConversion {
    /// The collections a conversion reads or changes.
    static let entities: Set<String> = ["leads", "accounts", "contacts", "opportunities", "stage_changes", "activities",
                                        "users", "campaigns"]

    let db: Database
    let binder: Binder
    let now: Int64
    let user: Int64?
    /// The exit criteria the new deal's stage must meet.
    let rules: ExitRules
    let cancellation: Cancellation

    /// What a conversion made, for its report.
    struct Result: Sendable {
        var changes: [DataChange] = []
        var contact: Int64 = 0
        var account: Int64?
        var accountCreated = false
        var opportunity: Int64?
        var activitiesMoved = 0
        var summary = ""
    }

    func run(lead id: Int64, _ choice: BoundOpportunityChoice, at range: SourceRange) throws(Diagnostic) -> Result {
        let lead = try LeadRecord(db: db, id: id)
        try lead.checkConvertible(at: range)
        var result = Result()
        func perform(_ change: BoundChange) throws(Diagnostic) -> [DataChange] {
            let outcome = try ChangeExecutor(db: db, now: now, user: user, rules: rules, pending: result.changes,
                                             cancellation: cancellation).run(change)
            result.changes += outcome.changes
            return outcome.changes
        }
        /// The id a step's create gave its record.
        func created(_ entity: String, by changes: [DataChange]) -> Int64? {
            for case .insert(let e, let id, _) in changes where e == entity { return id }
            return nil
        }

        // The account: the company's, matched by name ignoring case, or a new one.
        if let company = lead.company {
            if let existing = try matchingAccount(company) {
                result.account = existing
            } else {
                result.accountCreated = true
                result.account = created("accounts", by: try perform(.create(entity: "accounts", assignments: try assignments("accounts", [
                    "name": .text(company), "owner": lead.owner, "created_at": .integer(now),
                ], range))))
            }
        }

        let contact = try perform(.create(entity: "contacts", assignments: try assignments("contacts", [
            "first_name": .text(lead.firstName), "last_name": .text(lead.lastName), "email": .text(lead.email),
            "account": result.account.map(StoredValue.integer) ?? .null, "created_at": .integer(now),
        ], range)))
        guard let contactId = created("contacts", by: contact) else {
            throw Diagnostic(.executor, "internal error: the conversion made no contact; nothing was changed")
        }
        result.contact = contactId

        switch choice {
        case .none: break
        case .defaults, .with:
            var given: [BoundAssignment] = []
            if case .with(let list) = choice { given = list }
            result.opportunity = created("opportunities", by: try perform(.create(entity: "opportunities",
                                    assignments: try opportunityAssignments(lead, result, given: given, at: range))))
        }

        // The lead's activities go to the contact, and to the account and the deal where they had none.
        let moved = try perform(.update(entity: "activities", assignments: try assignments("activities", [
            "contact": .integer(result.contact)], range), filter: try filter("activities", "lead = \(id)")))
        for case .assign(_, _, _, let ids) in moved { result.activitiesMoved = max(result.activitiesMoved, ids.count) }
        if let account = result.account {
            _ = try perform(.update(entity: "activities", assignments: try assignments("activities", [
                "account": .integer(account)], range), filter: try filter("activities", "lead = \(id) and account is null")))
        }
        if let opportunity = result.opportunity {
            _ = try perform(.update(entity: "activities", assignments: try assignments("activities", [
                "opportunity": .integer(opportunity)], range),
                filter: try filter("activities", "lead = \(id) and opportunity is null")))
        }

        var marks: [String: StoredValue] = [
            "status": try code("lead_status", "converted", at: range), "converted_contact": .integer(result.contact),
            "converted_at": .integer(now),
        ]
        if let opportunity = result.opportunity { marks["converted_opportunity"] = .integer(opportunity) }
        _ = try perform(.update(entity: "leads", assignments: try assignments("leads", marks, range),
                                filter: try filter("leads", "id = \(id)")))
        result.summary = summary(lead, result)
        return result
    }

    // MARK: - The parts

    /// The lowest id among the accounts named `company`, ignoring case (as `name = "..."` finds them).
    private func matchingAccount(_ company: String) throws(Diagnostic) -> Int64? {
        let plan = Planner(db).planFilter(try filter("accounts", "name = \(CrmqText.quoted(company))"), on: "accounts")
        let rows = try RowSelector(db: db, cancellation: cancellation).rows(plan)
        let ids = db["accounts"].ids
        return rows.map { ids[Int($0)] }.min()
    }

    /// The new deal's fields: the defaults from the lead, then what `with opportunity` gave.
    private func opportunityAssignments(_ lead: LeadRecord, _ made: Result, given: [BoundAssignment],
                                        at range: SourceRange) throws(Diagnostic) -> [BoundAssignment] {
        let def = db["opportunities"].entity
        var values: [String: StoredValue] = [
            "name": .text(lead.company ?? lead.personName),
            "contact": .integer(made.contact),
            "owner": lead.owner, "lead_source": lead.source, "campaign": lead.campaign,
            "created_at": .integer(now),
            "type": try code("opportunity_type", try isCustomer(made.account) ? "existing customer" : "new business", at: range),
        ]
        if let account = made.account { values["account"] = .integer(account) }
        // The pipeline given, else the standard one; its first stage unless a stage is given.
        var pipeline = db.schema.defaultPipeline
        if let field = def.fieldIndex("pipeline"), let p = given.first(where: { $0.field == field }),
           case .integer(let code) = p.value, code >= 0 {
            let names = db.schema.enumValues("pipeline")
            if Int(code) < names.count, let named = db.schema.pipelines.first(where: { $0.name == names[Int(code)] }) {
                pipeline = named
            }
        } else if def.fieldIndex("pipeline") != nil, db.schema.enumValues("pipeline").contains(pipeline.name) {
            values["pipeline"] = try code("pipeline", pipeline.name, at: range)
        }
        if let first = pipeline.stages.first { values["stage"] = try code("stage", first.name, at: range) }
        var list = try assignments("opportunities", values, range)
        // What the user gave wins over a default.
        list.removeAll { a in given.contains { $0.field == a.field } }
        return list + given
    }

    /// Whether the account already has a won deal: then the new one is with an existing customer.
    private func isCustomer(_ account: Int64?) throws(Diagnostic) -> Bool {
        guard let account else { return false }
        let won = StageSets(db.schema).won
        guard !won.isEmpty else { return false }
        let condition = "account = \(account) and stage in \(CrmqText.list(won))"
        let plan = Planner(db).planFilter(try filter("opportunities", condition), on: "opportunities")
        return try !RowSelector(db: db, cancellation: cancellation).rows(plan).isEmpty
    }

    /// Assignments by field name; fields the schema lacks are left out, nulls too.
    private func assignments(_ entity: String, _ values: [String: StoredValue],
                             _ range: SourceRange) throws(Diagnostic) -> [BoundAssignment] {
        let def = db[entity].entity
        return values.compactMap { name, value -> BoundAssignment? in
            guard let field = def.fieldIndex(name), value != .null, value != .text(nil) else { return nil }
            return BoundAssignment(field: field, value: value, range: range)
        }.sorted { $0.field < $1.field }
    }

    /// A condition on `entity`, bound as a `where` is.
    private func filter(_ entity: String, _ condition: String) throws(Diagnostic) -> BoundFilter {
        let source = SourceText(name: "crmq", text: "find \(entity) where \(condition)")
        var parser = Parser(source)
        guard let statement = try parser.nextStatement(), case .find(let q) = statement.kind, let c = q.filter else {
            throw Diagnostic(.executor, "internal error: cannot read \(condition)")
        }
        return try binder.bindCondition(c, db[entity].entity)
    }

    private func code(_ enumName: String, _ value: String, at range: SourceRange) throws(Diagnostic) -> StoredValue {
        guard let i = db.schema.enumValues(enumName).firstIndex(where: { $0.lowercased() == value.lowercased() }) else {
            throw Diagnostic(.executor, "\"\(value)\" is not a value of \(enumName) in this data", at: range)
        }
        return .integer(Int64(i))
    }

    /// A field of a record as the conversion leaves it: from the changes that made or set it, else the data.
    private func stored(_ entity: String, _ id: Int64, _ field: String, _ changes: [DataChange]) -> StoredValue? {
        let c = db[entity]
        guard let f = c.entity.fieldIndex(field), f > 0 else { return nil }
        var value: StoredValue?
        if let row = c.row(ofId: id) {
            switch c.columns[f] {
            case .text(let t): value = .text(t[row])
            case .integers(let a): value = .integer(a[row])
            }
        }
        for change in changes {
            switch change {
            case .insert(let e, let i, let values) where e == entity && i == id: value = values[f - 1]
            case .assign(let e, let g, let v, let ids) where e == entity && g == f && ids.contains(id): value = v
            default: break
            }
        }
        return value
    }

    private func summary(_ lead: LeadRecord, _ r: Result) -> String {
        func title(_ entity: String, _ id: Int64, _ field: String) -> String {
            guard case .text(let t)? = stored(entity, id, field, r.changes) else { return "" }
            return t ?? ""
        }
        var lines = ["converted lead \(lead.id) (\([lead.personName, lead.company ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")))"]
        lines.append("  created contact \(r.contact) (\(lead.personName))")
        if let a = r.account {
            lines.append("  \(r.accountCreated ? "created" : "matched") account \(a) (\(title("accounts", a, "name")))")
        } else {
            lines.append("  no account: the lead has no company")
        }
        if let o = r.opportunity {
            let stages = r.changes.reduce(0) { n, c in
                if case .insert(let e, _, _) = c, e == StageHistory.entityName { return n + 1 }
                return n
            }
            let stage: String
            if case .integer(let code)? = stored("opportunities", o, "stage", r.changes), code >= 0,
               Int(code) < db.schema.enumValues("stage").count {
                stage = ", " + db.schema.enumValues("stage")[Int(code)]
            } else {
                stage = ""
            }
            lines.append("  created opportunity \(o) (\(title("opportunities", o, "name"))\(stage))"
                         + (stages > 0 ? "; recorded \(stages) stage \(stages == 1 ? "change" : "changes")" : ""))
        } else {
            lines.append("  no opportunity")
        }
        let n = r.activitiesMoved
        lines.append("  moved \(n) \(n == 1 ? "activity" : "activities") to contact \(r.contact)")
        return lines.joined(separator: "\n")
    }
}

/// The fields of a lead a conversion reads, and why it may be refused.
private struct LeadRecord {
    let id: Int64
    let firstName: String?
    let lastName: String?
    let company: String?
    let email: String?
    let status: String?
    let owner: StoredValue
    let campaign: StoredValue
    let source: StoredValue
    let convertedAt: Int64?
    let convertedContact: Int64?
    let convertedOpportunity: Int64?
    let schema: Schema

    init(db: Database, id: Int64) throws(Diagnostic) {
        let c = db["leads"]
        guard let row = c.row(ofId: id) else {
            throw Diagnostic(.executor, "there is no lead with id \(id)")
        }
        func stored(_ name: String) -> StoredValue {
            guard let f = c.entity.fieldIndex(name) else { return .null }
            switch c.columns[f] {
            case .text(let t): return .text(t[row])
            case .integers(let a): return .integer(a[row])
            }
        }
        func text(_ name: String) -> String? {
            guard case .text(let s) = stored(name), let s, !s.allSatisfy({ $0 == " " }) else { return nil }
            return s
        }
        func integer(_ name: String) -> Int64? {
            guard case .integer(let v) = stored(name), v != nullInt else { return nil }
            return v
        }
        self.id = id
        firstName = text("first_name")
        lastName = text("last_name")
        company = text("company")
        email = text("email")
        if let code = integer("status"), code >= 0, Int(code) < db.schema.enumValues("lead_status").count {
            status = db.schema.enumValues("lead_status")[Int(code)]
        } else {
            status = nil
        }
        owner = stored("owner")
        campaign = stored("campaign")
        // The deal's lead_source is the same enum as the lead's source.
        source = stored("source")
        convertedAt = integer("converted_at")
        convertedContact = integer("converted_contact")
        convertedOpportunity = integer("converted_opportunity")
        schema = db.schema
    }

    var personName: String { [firstName ?? "", lastName ?? ""].filter { !$0.isEmpty }.joined(separator: " ") }

    func checkConvertible(at range: SourceRange) throws(Diagnostic) {
        if status == "converted" || convertedAt != nil || convertedContact != nil {
            var what = "lead \(id) was converted"
            if let convertedAt { what += " on " + CellText.human(.datetime(convertedAt)) }
            if let convertedContact { what += " to contact \(convertedContact)" }
            if let convertedOpportunity { what += " and opportunity \(convertedOpportunity)" }
            throw Diagnostic(.executor, what, at: range, hint: "a lead is converted once; show lead \(id) shows what it became")
        }
        guard status == "qualified" else {
            throw Diagnostic(.executor, "lead \(id) is not qualified: its status is \(status.map { "\"\($0)\"" } ?? "empty")",
                             at: range, hint: "qualify it first: update leads set status = \"qualified\" where id = \(id)")
        }
        if firstName == nil && lastName == nil {
            throw Diagnostic(.executor, "lead \(id) has no name, so the contact would have none", at: range,
                             hint: "name it first: update leads set last_name = \"...\" where id = \(id)")
        }
    }
}
