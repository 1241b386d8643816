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
    /// With `skip bad rows` only: every row's cells as read, one row after another (a row has one
    /// cell a column), for the rejects file. In one buffer: a million rows of Strings took gigabytes.
    var cells = TextRun()
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
        cells.append(contentsOf: part.cells)
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
        let width = columns.count
        let kept = (row + 1) * width <= cells.count ? (row * width..<(row + 1) * width).map { cells[$0] } : []
        bad.append(Importer.BadRow(line: lines[row], column: column, reason: reason, hint: hint, cells: kept))
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
        if keeping { self.cells.append(contentsOf: cells) }
    }
}

extension TextRun {
    /// Every text as a String (nil for null): a record's cells for a rejects file or a message.
    var all: [String?] { (0..<count).map { self[$0] } }
}
