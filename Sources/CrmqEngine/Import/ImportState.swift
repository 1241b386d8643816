/// What an import knows while it runs: the rows read so far, column by column (a million rows
/// would otherwise be a million arrays of values, copied at every step), the names still to
/// resolve, and the rows found bad (each once, with its first reason).
struct ImportState {
    let def: EntityDef
    let columns: [String]
    /// Per field after `id`: whether it is text.
    let isText: [Bool]
    /// Per field after `id`: its values, `nullInt` for null (empty for a text field).
    var integers: [[Int64]]
    /// Per field after `id`: its texts (empty for an integer field).
    var texts: [TextRun]
    /// Per row: the line it starts on.
    var lines: [Int] = []
    /// Per row: the id column's value, `nullInt` when the file gives none.
    var givenIds: [Int64] = []
    /// Per row: the id it gets (or has, for an update); 0 until ids are handed out.
    var ids: [Int64] = []
    /// Per row: whether it updates a record that exists.
    var existing: [Bool] = []
    /// Per row, with `skip bad rows` only: its cells as read, for the rejects file.
    var cells: [[String?]] = []
    var pending: [Importer.PendingName] = []
    /// Indexes into the rows of rows found bad after they were read.
    var rejected: Set<Int> = []
    var bad: [Importer.BadRow] = []
    /// A record the reader could not get past: nothing is imported, even with `skip bad rows`.
    var fatal = false
    /// Accounts an `import vcards` creates for ORG names not found: name and id, in order.
    var newAccounts: [(name: String, id: Int64)] = []

    init(def: EntityDef, columns: [String]) {
        self.def = def
        self.columns = columns
        isText = def.fields.dropFirst().map(\.type.isText)
        integers = isText.map { _ in [] }
        texts = isText.map { _ in TextRun() }
    }

    var rowCount: Int { lines.count }

    /// Whether row `r` was found bad after it was read (asked for every row of a million).
    func isRejected(_ r: Int) -> Bool { !rejected.isEmpty && rejected.contains(r) }

    /// Field `f`'s value (1-based, as in `def.fields`) in row `r`.
    func value(_ r: Int, _ f: Int) -> StoredValue {
        isText[f - 1] ? (texts[f - 1][r].map { .text($0) } ?? .null) : .integer(integers[f - 1][r])
    }

    /// The id the row's file gives, if any.
    func givenId(_ r: Int) -> Int64? { givenIds[r] == nullInt ? nil : givenIds[r] }

    /// Adds what a later part of the file read (lines counted from 1 in that part) after these rows.
    mutating func append(_ part: ImportState, lineOffset: Int) {
        let first = rowCount
        for i in integers.indices { integers[i] += part.integers[i] }
        for i in texts.indices { texts[i].append(contentsOf: part.texts[i]) }
        lines.reserveCapacity(lines.count + part.lines.count)
        for line in part.lines { lines.append(line + lineOffset) }
        givenIds += part.givenIds
        ids += part.ids
        existing += part.existing
        cells += part.cells
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
        bad.append(Importer.BadRow(line: lines[row], column: column, reason: reason, hint: hint, cells: row < cells.count ? cells[row] : []))
    }
}

extension Importer {
    /// Reads every record, converting each cell by its field's type; `set` values fill every row.
    /// `lineOffset` is added to every line the source gives (a part of a file numbers its lines from 1).
    /// Cells are read as bytes into one buffer reused for every record; the usual ones convert
    /// from there (QuickValues), the rest through a String (`ImportValues.convert`).
    func read(_ source: inout some ImportRecordSource, _ matched: ImportColumns, _ state: inout ImportState,
              lineOffset: Int = 0) throws(Diagnostic) {
        let def = state.def
        let converter = ImportValues(schema: db.schema, decimalComma: bound.decimalComma, dateFormat: bound.dateFormat)
        let quick = QuickValues(converter, def: def)
        var row = ImportRow(fields: def.fields.count - 1)
        for s in bound.sets { row.setBase(s.field - 1, s.value) }
        let width = state.columns.count
        var rowPending: [PendingName] = []
        var cells = TextRun()
        var n = 0
        while true {
            n += 1
            if n & 4095 == 0 { try cancellation.check() }
            var line: Int
            do throws(ImportReadError) {
                guard let l = try source.next(into: &cells) else { break }
                line = l
            } catch {
                state.bad.append(BadRow(line: error.line + lineOffset, column: nil, reason: error.message, hint: error.hint, cells: []))
                if error.fatal { state.fatal = true; break }
                continue
            }
            line += lineOffset
            if cells.count != width {
                state.bad.append(BadRow(line: line, column: nil, reason: "the row has \(cells.count) cells, the header \(width)",
                                        hint: "a cell with the delimiter in it needs quotes", cells: cells.all))
                continue
            }
            row.reset()
            var givenId: Int64?
            var problem: BadRow?
            rowPending.removeAll(keepingCapacity: true)
            // Most cells convert from their bytes here; the rest are left for the loop below.
            var slow = false
            cells.withSpans { bytes, ends in
                for (c, target) in matched.targets.enumerated() {
                    guard let b = TextRun.cell(c, in: (bytes, ends)) else { continue }
                    switch target {
                    case .skip:
                        continue
                    case .id:
                        if let id = QuickValues.id(b), id < Int64(Int32.max) { givenId = id } else { slow = true }
                    case .field(let f):
                        if state.isText[f - 1] {
                            row.text(f - 1, cell: c, neutralised: QuickValues.neutralised(b))
                        } else if let v = quick.integer(b, field: f) {
                            row.integers[f - 1] = v
                        } else {
                            slow = true
                        }
                    }
                }
            }
            for (c, target) in matched.targets.enumerated() where slow && !cells.isNull(c) {
                switch target {
                case .skip:
                    continue
                case .id:
                    if let id = cells.withUTF8(c, QuickValues.id), id < Int64(Int32.max) {
                        givenId = id
                        continue
                    }
                    let t = cells[c]!.importTrimmed
                    if t.isEmpty { continue }
                    guard let id = Int64(t), id >= 1, id < Int64(Int32.max) else {
                        problem = BadRow(line: line, column: state.columns[c], reason: "\"\(t)\" is not an id",
                                         hint: "ids are whole numbers from 1", cells: cells.all)
                        break
                    }
                    givenId = id
                case .field(let f):
                    if state.isText[f - 1] { continue }
                    if let v = cells.withUTF8(c, { quick.integer($0, field: f) }) {
                        row.integers[f - 1] = v
                        continue
                    }
                    switch converter.convert(cells[c]!, def.fields[f]) {
                    case .value(let v):
                        if case .integer(let x) = v { row.integers[f - 1] = x }
                    case .name(let name): rowPending.append(PendingName(row: state.rowCount, field: f, column: c, name: name))
                    case .bad(let reason, let hint):
                        problem = BadRow(line: line, column: state.columns[c], reason: reason, hint: hint, cells: cells.all)
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
            state.append(row, from: cells, line: line, givenId: givenId, keeping: bound.skipBadRows)
        }
    }
}

/// The values of the record being read: integers as converted, texts as the cells that hold them
/// (not copied until the record is known to be good), `set` values where the file gives none.
struct ImportRow {
    var integers: [Int64]
    /// Per field: -1 for the `set` value (or null), else the cell holding the text times 2, plus 1
    /// when its first byte (a neutralising `'`) is left out.
    var texts: [Int]
    private var baseIntegers: [Int64]
    private(set) var baseTexts: [String?]

    init(fields: Int) {
        integers = [Int64](repeating: nullInt, count: fields)
        texts = [Int](repeating: -1, count: fields)
        baseIntegers = integers
        baseTexts = [String?](repeating: nil, count: fields)
    }

    mutating func setBase(_ i: Int, _ value: StoredValue) {
        switch value {
        case .integer(let v): baseIntegers[i] = v
        case .text(let t): baseTexts[i] = t
        }
        integers[i] = baseIntegers[i]
    }

    mutating func reset() {
        for i in integers.indices {
            integers[i] = baseIntegers[i]
            texts[i] = -1
        }
    }

    mutating func text(_ i: Int, cell: Int, neutralised: Bool) {
        texts[i] = cell * 2 + (neutralised ? 1 : 0)
    }
}

extension ImportState {
    /// Appends a record that read well, its texts taken from `cells`.
    mutating func append(_ row: ImportRow, from cells: TextRun, line: Int, givenId: Int64?, keeping: Bool) {
        for i in isText.indices {
            guard isText[i] else {
                integers[i].append(row.integers[i])
                continue
            }
            let t = row.texts[i]
            if t < 0 {
                texts[i].append(row.baseTexts[i])
            } else {
                cells.withUTF8(t >> 1) { texts[i].append(utf8: UnsafeBufferPointer(rebasing: $0[(t & 1)...])) }
            }
        }
        lines.append(line)
        givenIds.append(givenId ?? nullInt)
        ids.append(0)
        existing.append(false)
        if keeping { self.cells.append(cells.all) }
    }
}

extension TextRun {
    /// Every text as a String (nil for null): a record's cells for a rejects file or a message.
    var all: [String?] { (0..<count).map { self[$0] } }
}
