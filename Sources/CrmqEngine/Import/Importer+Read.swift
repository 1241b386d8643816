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
