/// A session on a file reads a column of the snapshot the first time a statement needs it: a
/// query reads the columns on its paths, anything else the whole collections it touches. Every
/// column is checked against its checksum as it is read (SnapshotLoader), before a statement uses it.
///
/// A collection with columns still unread has not changed since the file was opened (a change
/// reads its collections whole first), so its rows are still in the snapshot's order and a column
/// read later lines up with them.
extension Session {
    /// Reads what `bound` uses before it is planned: the columns of a query, or whole collections.
    mutating func readData(for bound: BoundStatement) throws(Diagnostic) {
        if let columns = Session.columns(of: bound) {
            try read(columns: columns)
        } else if Session.cutoff(of: bound) != nil {
            try read(entities(of: bound).map { asOfSources($0) })
        } else {
            try read(entities(of: bound))
        }
    }

    /// Reads every collection still in the snapshot only, for tools that use `database` directly.
    public mutating func readAll() throws(Diagnostic) {
        try read(nil)
    }

    /// Reads whole the collections in `entities` that still have columns in the snapshot only (all
    /// of them for nil). What is read is committed data, so an open transaction's starting point
    /// and a sandbox's base get it too.
    mutating func read(_ entities: Set<String>?) throws(Diagnostic) {
        var wanted = unreadColumns
        if let entities { wanted = wanted.filter { entities.contains($0.key) } }
        try read(columns: wanted)
    }

    /// Reads the columns `wanted` (field positions by entity) that are still in the snapshot only.
    /// A collection none of whose columns is read yet gets its ids first: they give its records.
    mutating func read(columns wanted: [String: Set<Int>]) throws(Diagnostic) {
        guard let snapshot else { return }
        for (entity, fields) in wanted.sorted(by: { $0.key < $1.key }) {
            guard let missing = unreadColumns[entity] else { continue }
            var reading = missing.intersection(fields)
            if reading.isEmpty { continue }
            let placeholder = missing.contains(0)
            if placeholder { reading.insert(0) }
            let columns: [Int: Column]
            do {
                columns = try snapshot.columns(of: entity, reading)
            } catch {
                throw error.diagnostic
            }
            if placeholder {
                guard let collection = snapshot.collection(entity, with: columns) else { continue }
                database[entity] = collection
                transaction?.before[entity] = collection
                sandbox?.base[entity] = collection
            } else {
                for (f, column) in columns.sorted(by: { $0.key < $1.key }) {
                    database.modify(entity) { $0.replace(f, with: column) }
                    transaction?.before.modify(entity) { $0.replace(f, with: column) }
                    sandbox?.base.modify(entity) { $0.replace(f, with: column) }
                }
            }
            let left = missing.subtracting(reading)
            unreadColumns[entity] = left.isEmpty ? nil : left
        }
        if unreadColumns.isEmpty { self.snapshot = nil }
    }

    /// The columns a query reads, by entity: the fields on its paths (its conditions, order,
    /// grouping, figures and shown columns, with the references along them) and the ids of every
    /// collection they pass through. Nil for any other statement, and for `as of`, which read
    /// whole collections: a change, a report or a view may use any field of what it touches.
    static func columns(of bound: BoundStatement) -> [String: Set<Int>]? {
        let entity: String
        switch bound {
        case .find(let q): entity = q.entity
        case .aggregate(let q): entity = q.entity
        case .explain(let e):
            switch e.query {
            case .find(let q): entity = q.entity
            case .aggregate(let q): entity = q.entity
            }
        default: return nil
        }
        if cutoff(of: bound) != nil { return nil }
        let paths = StatementPaths(bound)
        var columns: [String: Set<Int>] = [entity: [0]]
        for name in paths.segments { columns[name, default: []].insert(0) }
        for p in paths.planned + paths.shown {
            columns[p.root, default: []].insert(0)
            for hop in p.hops { columns[hop.entity, default: [0]].insert(hop.field) }
            columns[p.field.entity, default: [0]].insert(p.field.field)
        }
        return columns
    }

    /// A session on `loader`'s snapshot that has read nothing yet but the schema (no journal):
    /// for the fuzzer and tests, which read snapshots held in memory.
    static func reading(_ loader: SnapshotLoader, settings: Settings) throws(DataFileError) -> Session {
        var session = Session(database: try loader.database(loading: []), settings: settings, buildingIndexes: false)
        session.snapshot = loader
        session.unreadColumns = unreadColumns(Set(loader.schema.entityNames), schema: loader.schema)
        return session
    }

    /// Every column of the named collections, for a session that has read none of them yet.
    static func unreadColumns(_ names: Set<String>, schema: Schema) -> [String: Set<Int>] {
        var columns: [String: Set<Int>] = [:]
        for e in schema.entities where names.contains(e.name) { columns[e.name] = Set(e.fields.indices) }
        return columns
    }
}
