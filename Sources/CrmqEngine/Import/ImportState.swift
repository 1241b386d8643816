/// What an import knows while it runs: the rows read so far, the names still to resolve, and
/// the rows found bad (each once, with its first reason).
struct ImportState {
    let def: EntityDef
    let columns: [String]
    var rows: [Importer.Row] = []
    var pending: [Importer.PendingName] = []
    /// Indexes into `rows` of rows found bad after they were read.
    var rejected: Set<Int> = []
    var bad: [Importer.BadRow] = []
    /// A record the reader could not get past: nothing is imported, even with `skip bad rows`.
    var fatal = false
    /// Accounts an `import vcards` creates for ORG names not found: name and id, in order.
    var newAccounts: [(name: String, id: Int64)] = []

    init(def: EntityDef, columns: [String]) {
        self.def = def
        self.columns = columns
    }

    /// Adds what a later part of the file read (lines counted from 1 in that part) after these rows.
    mutating func append(_ part: ImportState, lineOffset: Int) {
        let first = rows.count
        rows.reserveCapacity(rows.count + part.rows.count)
        for var row in part.rows {
            row.line += lineOffset
            rows.append(row)
        }
        pending.reserveCapacity(pending.count + part.pending.count)
        for var name in part.pending {
            name.row += first
            pending.append(name)
        }
        for var b in part.bad {
            b.line += lineOffset
            bad.append(b)
        }
        fatal = fatal || part.fatal
    }

    mutating func reject(_ row: Int, column: String?, _ reason: String, hint: String?) {
        guard rejected.insert(row).inserted else { return }
        bad.append(Importer.BadRow(line: rows[row].line, column: column, reason: reason, hint: hint, cells: rows[row].cells))
    }
}

extension Importer {
    /// Reads every record, converting each cell by its field's type; `set` values fill every row.
    /// `lineOffset` is added to every line the source gives (a part of a file numbers its lines from 1).
    func read(_ source: inout some ImportRecordSource, _ matched: ImportColumns, _ state: inout ImportState,
              lineOffset: Int = 0) throws(Diagnostic) {
        let def = state.def
        let converter = ImportValues(schema: db.schema, decimalComma: bound.decimalComma, dateFormat: bound.dateFormat)
        var base = [StoredValue](repeating: .null, count: def.fields.count - 1)
        for s in bound.sets { base[s.field - 1] = s.value }
        let width = state.columns.count
        var rowPending: [PendingName] = []
        var n = 0
        while true {
            n += 1
            if n & 4095 == 0 { try cancellation.check() }
            let record: ImportRecord?
            do throws(ImportReadError) {
                record = try source.next()
            } catch {
                state.bad.append(BadRow(line: error.line + lineOffset, column: nil, reason: error.message, hint: error.hint, cells: []))
                if error.fatal { state.fatal = true; break }
                continue
            }
            guard var record else { break }
            record.line += lineOffset
            if record.cells.count != width {
                state.bad.append(BadRow(line: record.line, column: nil,
                                        reason: "the row has \(record.cells.count) cells, the header \(width)",
                                        hint: "a cell with the delimiter in it needs quotes", cells: record.cells))
                continue
            }
            var values = base
            var givenId: Int64?
            var problem: BadRow?
            rowPending.removeAll(keepingCapacity: true)
            for (c, target) in matched.targets.enumerated() {
                guard let cell = record.cells[c] else { continue }
                switch target {
                case .skip:
                    continue
                case .id:
                    let t = cell.importTrimmed
                    if t.isEmpty { continue }
                    guard let id = Int64(t), id >= 1, id < Int64(Int32.max) else {
                        problem = BadRow(line: record.line, column: state.columns[c], reason: "\"\(t)\" is not an id",
                                         hint: "ids are whole numbers from 1", cells: record.cells)
                        break
                    }
                    givenId = id
                case .field(let f):
                    switch converter.convert(cell, def.fields[f]) {
                    case .value(let v): values[f - 1] = v
                    case .name(let name): rowPending.append(PendingName(row: state.rows.count, field: f, column: c, name: name))
                    case .bad(let reason, let hint):
                        problem = BadRow(line: record.line, column: state.columns[c], reason: reason, hint: hint, cells: record.cells)
                    }
                }
                if problem != nil { break }
            }
            if let problem {
                state.bad.append(problem)
                continue
            }
            state.pending += rowPending
            // The cells are kept only where they may be needed: for the rejects file.
            state.rows.append(Row(line: record.line, cells: bound.skipBadRows ? record.cells : [], values: values, givenId: givenId))
        }
    }
}
