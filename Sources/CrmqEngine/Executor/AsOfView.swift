/// The data as it stood at a moment in the past (`as of`), rebuilt from the history:
/// - a record with a `created_at` is there if it was created by then (one without is left out,
///   as SQL's `created_at <= t` leaves it out);
/// - a stage change is there if it was made by then (`changed_at`);
/// - each deal stands in the stage of its last stage change at or before the moment (ties: the
///   later id), null with no change by then, and has that stage's probability in its own pipeline
///   (a deal without a pipeline is in the first one);
/// - other collections are as they are.
/// A query runs on the view as on any data: dot paths, `any`, `count(...)` and segments all see the
/// same moment. Only the collections a statement reads are built (`include`), so that a view
/// grows with the statements run on it; a collection whose every record passes is shared, not copied.
/// A statement that names the fields it reads (`fields`) gets only those columns sliced, with the id,
/// title, stage and conversion fields: the first slice of a process is mostly fresh memory, and a
/// report reads a few of a collection's columns. The others stay empty until a statement needs them.
public struct AsOfView: Sendable {
    /// The last second of history the view holds.
    public let cutoff: Int64
    public private(set) var database: Database
    /// What was done to each collection built so far (nil: shared unchanged), for `explain`.
    public private(set) var steps: [String: [String]] = [:]
    /// The rows kept of each sliced collection, and the fields sliced so far (the rest are empty).
    private var kept: [String: (rows: [Int32], fields: Set<Int>)] = [:]

    public init(of db: Database, cutoff: Int64) {
        self.cutoff = cutoff
        self.database = db
    }

    /// Builds the collections in `entities` not built yet, from `db` (the data as it is now): of a
    /// collection named in `fields`, those fields' columns (and the ones every view needs), of the
    /// others every column.
    public mutating func include(_ entities: Set<String>, fields: [String: Set<Int>]? = nil, from db: Database) {
        for name in entities.sorted() where db.collections[name] != nil {
            let wanted = AsOfView.wanted(db[name].entity, in: db.schema, fields?[name])
            if steps[name] != nil {
                addColumns(name, wanted, from: db)
                continue
            }
            var lines: [String] = []
            var c = db[name]
            if let time = AsOfView.timeField(of: c.entity, in: db.schema) {
                let keep = AsOfView.rows(of: c, time: time, upTo: cutoff)
                if keep.count < c.count {
                    c = AsOfView.keeping(keep, of: c, fields: wanted)
                    kept[name] = (keep, wanted)
                }
                lines.append("\(name): \(c.entity.fields[time].name) <= the moment (\(AsOfView.rows(keep.count)) of \(CellText.grouped(String(db[name].count))))")
            }
            if let converted = AsOfView.unconvert(&c, upTo: cutoff) {
                lines.append("\(name).\(converted): empty where converted after the moment")
            }
            if let history = StageHistory(for: c.entity, in: db.schema), db.collections[history.history] != nil {
                AsOfView.restage(&c, history: history, from: db, upTo: cutoff)
                let stage = c.entity.fields[history.stageField].name, probability = c.entity.fields[history.probabilityField].name
                lines.append("\(name).\(stage), \(probability): from the last \(history.history) at or before the moment")
            }
            database[name] = c
            steps[name] = lines
        }
    }

    /// Slices the columns of `fields` that a sliced collection has not got yet.
    private mutating func addColumns(_ name: String, _ fields: Set<Int>, from db: Database) {
        guard let (rows, built) = kept[name] else { return }
        let missing = fields.subtracting(built)
        if missing.isEmpty { return }
        let source = db[name]
        database.modify(name) { c in
            for f in missing.sorted() { c.replace(f, with: AsOfView.gather(source.columns[f], rows)) }
        }
        kept[name] = (rows, built.union(missing))
    }

    /// The fields of `entity` to slice: all for nil; else `fields` with the id, the title, and what
    /// building the view reads or writes (the stage, probability and pipeline of a deal, the time
    /// field, a lead's conversion fields).
    static func wanted(_ entity: EntityDef, in schema: Schema, _ fields: Set<Int>?) -> Set<Int> {
        guard var wanted = fields else { return Set(entity.fields.indices) }
        wanted.insert(0)
        if let title = entity.fieldIndex(entity.titleField) { wanted.insert(title) }
        if let time = timeField(of: entity, in: schema) { wanted.insert(time) }
        if let history = StageHistory(for: entity, in: schema) {
            wanted.formUnion([history.stageField, history.probabilityField])
            if let pipeline = entity.fieldIndex("pipeline") { wanted.insert(pipeline) }
        }
        for (f, field) in entity.fields.enumerated() where field.name == "converted_at" || field.name.hasPrefix("converted_") {
            wanted.insert(f)
        }
        return wanted
    }

    /// The field that says when a record came to be: `changed_at` of the stage history, else a
    /// `created_at` date or date-time.
    static func timeField(of entity: EntityDef, in schema: Schema) -> Int? {
        if entity.name == StageHistory.entityName, let f = entity.fieldIndex("changed_at"),
           [.datetime, .date].contains(entity.fields[f].type) { return f }
        if let f = entity.fieldIndex("created_at"), [.datetime, .date].contains(entity.fields[f].type) { return f }
        return nil
    }

    /// The rows whose time field is at or before `cutoff`, ascending.
    static func rows(of c: Collection, time field: Int, upTo cutoff: Int64) -> [Int32] {
        // A date counts as its whole day: created on the cut-off's day is created by then.
        let limit = c.entity.fields[field].type == .date ? Int64.floorDivide(cutoff, 86_400) : cutoff
        let times = c.columns[field].integers
        var keep: [Int32] = []
        keep.reserveCapacity(times.count)
        times.forEachValue { r, t in
            if t != nullInt && t <= limit { keep.append(Int32(r)) }
        }
        return keep
    }

    /// The collection with only `rows` (ascending), without indexes: queries on it scan. The columns
    /// of fields not in `fields` are left empty (no statement reads them; `addColumns` fills one in).
    static func keeping(_ rows: [Int32], of c: Collection, fields: Set<Int>) -> Collection {
        let columns = c.columns.enumerated().map { f, column -> Column in
            if fields.contains(f) { return gather(column, rows) }
            switch column {
            case .integers: return .integers([])
            case .text(let t): return .text(TextColumn(codes: [], dictionary: t.dictionary))
            }
        }
        return Collection(entity: c.entity, columns: columns, nextId: c.nextId, indexedFields: [])
    }

    static func gather(_ column: Column, _ rows: [Int32]) -> Column {
        switch column {
        case .integers(let a): .integers(a.gathering(rows))
        case .text(let t): .text(TextColumn(codes: ColumnCompaction.gather(t.codes, rows), dictionary: t.dictionary))
        }
    }

    /// Sets each record's stage to the `to_stage` of its last change at or before `cutoff`, and
    /// its probability to that stage's in the record's pipeline.
    static func restage(_ c: inout Collection, history: StageHistory, from db: Database, upTo cutoff: Int64) {
        let changes = db[history.history]
        guard let subjectField = history.historyFields["subject"], let toField = history.historyFields["to_stage"],
              let atField = history.historyFields["changed_at"] else { return }
        let n = c.count
        var bestAt = [Int64](repeating: nullInt, count: n)
        var bestId = [Int64](repeating: 0, count: n)
        var stage = [Int64](repeating: nullInt, count: n)
        // Widened once: four columns read in step, which one loop over plain arrays does best.
        let ids = changes.columns[0].integers.int64Array(), subjects = changes.columns[subjectField].integers.int64Array()
        let to = changes.columns[toField].integers.int64Array(), at = changes.columns[atField].integers.int64Array()
        // A history on dates (a custom schema) counts the whole day.
        let limit = changes.entity.fields[atField].type == .date ? Int64.floorDivide(cutoff, 86_400) : cutoff
        let idMap = c.idMap
        idMap.dense.withUnsafeBufferPointer { dense in
            bestAt.withUnsafeMutableBufferPointer { bestAt in
                bestId.withUnsafeMutableBufferPointer { bestId in
                    stage.withUnsafeMutableBufferPointer { stage in
                        for r in 0..<ids.count {
                            let t = at[r]
                            if t == nullInt || t > limit { continue }
                            let row = idMap.row(subjects[r], dense: dense)
                            if row < 0 { continue }
                            let i = Int(row)
                            if t > bestAt[i] || (t == bestAt[i] && ids[r] > bestId[i]) {
                                bestAt[i] = t
                                bestId[i] = ids[r]
                                stage[i] = to[r]
                            }
                        }
                    }
                }
            }
        }
        let table = ProbabilityTable(entity: c.entity, schema: db.schema, stageEnum: history)
        let pipelines = table.pipelineField.map { c.columns[$0].integers }
        var probability = [Int64](repeating: nullInt, count: n)
        for i in 0..<n where stage[i] != nullInt {
            probability[i] = table.probability(stage: stage[i], pipeline: pipelines?[i] ?? nullInt)
        }
        c.replace(history.stageField, with: .integers(IntColumn(stage)))
        c.replace(history.probabilityField, with: .integers(IntColumn(probability)))
    }

    /// A record converted after the moment (a lead: `converted_at`) was not converted then: its
    /// `converted_at` and the `converted_*` references to what it became read empty. Other fields
    /// (a lead's status) are as they are now: their past values are not recorded. Returns the
    /// fields emptied, if the entity has a `converted_at`.
    static func unconvert(_ c: inout Collection, upTo cutoff: Int64) -> String? {
        guard let at = c.entity.fieldIndex("converted_at"), c.entity.fields[at].type == .datetime else { return nil }
        let times = c.columns[at].integers
        var rows: [Int32] = []
        for r in 0..<times.count where times[r] != nullInt && times[r] > cutoff { rows.append(Int32(r)) }
        let links = c.entity.fields.indices.filter { f in
            if case .reference = c.entity.fields[f].type { return c.entity.fields[f].name.hasPrefix("converted_") }
            return false
        }
        for f in [at] + links { c.set(f, rows: rows, to: .null) }
        return ([at] + links).map { c.entity.fields[$0].name }.joined(separator: ", ")
    }

    static func rows(_ n: Int) -> String { "\(CellText.grouped(String(n))) \(n == 1 ? "row" : "rows")" }
}

/// Each stage's probability (in hundredths, as a percent is stored) in each pipeline, by the stored
/// codes of the stage and pipeline enums.
struct ProbabilityTable {
    let pipelineField: Int?
    /// [pipeline code][stage code]; row 0 also serves deals without a pipeline.
    private let table: [[Int64]]

    init(entity: EntityDef, schema: Schema, stageEnum history: StageHistory) {
        var stageNames: [String] = []
        if case .enumeration(let e) = entity.fields[history.stageField].type { stageNames = schema.enumValues(e) }
        var pipelineField: Int?
        var pipelineNames: [String] = []
        if let f = entity.fieldIndex("pipeline"), case .enumeration(let e) = entity.fields[f].type {
            pipelineField = f
            pipelineNames = schema.enumValues(e)
        }
        let pipelines: [Pipeline] = pipelineNames.isEmpty ? [schema.defaultPipeline] : pipelineNames.map { name in
            schema.pipelines.first { $0.name.lowercased() == name.lowercased() } ?? schema.defaultPipeline
        }
        self.pipelineField = pipelineField
        table = pipelines.map { p in stageNames.map { p.stage(named: $0).map { Int64($0.probability) * 100 } ?? nullInt } }
    }

    func probability(stage: Int64, pipeline: Int64) -> Int64 {
        let p = pipeline >= 0 && pipeline < table.count ? Int(pipeline) : 0
        guard p < table.count, stage >= 0, stage < table[p].count else { return nullInt }
        return table[p][Int(stage)]
    }
}

extension Int64 {
    /// Division rounding toward minus infinity (a moment before 1970 lies in an earlier day).
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
}
