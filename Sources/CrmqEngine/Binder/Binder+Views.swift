/// Binding `convert lead ...` and `show ENTITY KEY`.
extension Binder {
    /// The entities `show` has a view of, by their names in the standard schema.
    static let viewedEntities = ["accounts", "contacts", "opportunities", "leads"]

    func bindConversion(_ c: ConvertLead, range: SourceRange) throws(Diagnostic) -> BoundConversion {
        let entity = try resolveEntity(c.entity)
        guard entity.name == "leads", let opportunities = schema.entity(named: "opportunities") else {
            throw Diagnostic(.binder, "only leads are converted, not \(entity.name)", at: c.entity.range,
                             hint: "as in convert lead 42")
        }
        var choice = BoundOpportunityChoice.defaults
        switch c.opportunity {
        case .defaults: break
        case .none: choice = .none
        case .with(let list):
            // The conversion links the deal to the contact and account it creates or matches.
            for a in list where ["account", "contact"].contains(a.field.text.lowercased()) {
                throw Diagnostic(.binder, "the conversion sets the opportunity's \(a.field.text.lowercased()) itself",
                                 at: a.field.range, hint: "leave it out: it is the \(a.field.text.lowercased()) the lead becomes")
            }
            choice = .with(try bindAssignments(list, opportunities, creating: true))
        }
        return BoundConversion(lead: BoundRecordKey(entity: entity.name, key: c.key, range: c.keyRange),
                               opportunity: choice, range: range)
    }

    func bindView(_ v: RecordView, explain: Bool?) throws(Diagnostic) -> BoundView {
        let entity = try resolveEntity(v.entity)
        guard Binder.viewedEntities.contains(entity.name) else {
            throw Diagnostic(.binder, "there is no 360° view of \(entity.name)", at: v.entity.range,
                             hint: "show works for account, contact, opportunity and lead; "
                                 + "find \(entity.name) where id = 1 shows one record")
        }
        return BoundView(record: BoundRecordKey(entity: entity.name, key: v.key, range: v.keyRange), explain: explain)
    }
}
