/// `as of`: a query runs on the view of the data at its moment (AsOfView.swift). The session keeps
/// the last view it built, so that the statements of a report at one moment build it once; any
/// change to the data drops it (`database`'s observer).
extension Session {
    /// The moment a bound query reads the data at, if it says `as of`.
    static func cutoff(of bound: BoundStatement) -> Int64? {
        switch bound {
        case .find(let q): q.asOf
        case .aggregate(let q): q.asOf
        case .explain(let e):
            switch e.query {
            case .find(let q): q.asOf
            case .aggregate(let q): q.asOf
            }
        default: nil
        }
    }

    /// The collections a view for `bound` must hold: those it reads.
    func asOfEntities(_ bound: BoundStatement) -> Set<String> {
        entities(of: bound) ?? Set(database.schema.entityNames)
    }

    /// What building those collections reads: them, and the stage history that gives a deal its
    /// stage at the moment (read as it is, not sliced, unless the statement reads it too).
    func asOfSources(_ names: Set<String>) -> Set<String> {
        var sources = names
        for name in names {
            if let e = database.schema.entity(named: name), let h = StageHistory(for: e, in: database.schema) { sources.insert(h.history) }
        }
        return sources
    }

    /// The data `bound` runs on, and for `as of` what the view did (for `explain`): the session's
    /// data, or its view at the moment, built or grown as needed and kept for the next statement.
    mutating func data(for bound: BoundStatement) throws(Diagnostic) -> (Database, [String]) {
        // Roles: the rows and fields the session's role may read (Permissions/PermissionView.swift).
        guard let cutoff = Session.cutoff(of: bound) else {
            let data = try permittedData()
            // An admin's data has no permission steps: the entities are worked out only for a view.
            return (data, permissionView == nil ? [] : permissionSteps(asOfEntities(bound)))
        }
        let needed = asOfEntities(bound)
        try read(asOfSources(needed))
        let data = try permittedData()
        var view = asOfView.flatMap { $0.cutoff == cutoff ? $0 : nil } ?? AsOfView(of: data, cutoff: cutoff)
        view.include(needed, fields: Session.readFields(of: bound), from: data)
        asOfView = view
        return (view.database, Session.steps(view, needed))
    }

    /// The fields an aggregate reads, by entity, so that its view slices only their columns: those of
    /// its condition, grouping and figures, and along their paths. Nil (every column) for a find,
    /// whose shown columns may be any (`show *`, the default ones).
    static func readFields(of bound: BoundStatement) -> [String: Set<Int>]? {
        switch bound {
        case .aggregate: break
        case .explain(let e):
            guard case .aggregate = e.query else { return nil }
        default: return nil
        }
        let paths = StatementPaths(bound)
        var fields: [String: Set<Int>] = [:]
        for p in paths.planned + paths.shown {
            for ref in p.hops + [p.field] { fields[ref.entity, default: []].insert(ref.field) }
        }
        return fields
    }

    /// The data a query of `query(_:)` runs on; builds the view without keeping it.
    mutating func data(forQuery bound: BoundStatement) throws(Diagnostic) -> Database {
        let data = try permittedData()
        guard let cutoff = Session.cutoff(of: bound) else { return data }
        var view = AsOfView(of: data, cutoff: cutoff)
        view.include(asOfEntities(bound), from: data)
        return view.database
    }

    /// The view's steps for the collections a statement reads, for `explain`: the moment first.
    static func steps(_ view: AsOfView, _ entities: Set<String>) -> [String] {
        ["AS OF \(Day.formatDateTime(view.cutoff))"] + entities.sorted().flatMap { view.steps[$0] ?? [] }
    }
}
