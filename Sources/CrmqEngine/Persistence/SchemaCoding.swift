/// The schema section and the collections section of a snapshot: entities with their fields
/// (custom fields included), enums, pipelines; then each collection's record count, next id and
/// indexed fields. Laid out in docs/snapshot-format.md.
enum SchemaCoding {
    /// `criteria`: the stages' exit criteria follow each stage (format 3).
    static func encode(_ schema: Schema, criteria: Bool) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(schema.entities.count))
        for e in schema.entities {
            w.string(e.name)
            w.string(e.singular)
            w.string(e.titleField)
            w.u32(UInt32(e.defaultColumns.count))
            for c in e.defaultColumns { w.string(c) }
            // `id` is implied: every entity starts with it.
            w.u32(UInt32(e.fields.count - 1))
            for f in e.fields.dropFirst() {
                w.string(f.name)
                let (tag, parameter) = typeTag(f.type)
                w.u8(tag)
                if let parameter { w.string(parameter) }
                w.string(f.summary)
                w.u8(f.indexed ? 1 : 0)
            }
        }
        let enumNames = schema.enums.keys.sorted()
        w.u32(UInt32(enumNames.count))
        for name in enumNames {
            w.string(name)
            let values = schema.enums[name]!
            w.u32(UInt32(values.count))
            for v in values { w.string(v) }
        }
        w.u32(UInt32(schema.pipelines.count))
        for p in schema.pipelines {
            w.string(p.name)
            w.u32(UInt32(p.stages.count))
            for s in p.stages { PipelineCoding.encode(s, into: &w, criteria: criteria) }
        }
        return w.bytes
    }

    /// Decodes and checks a schema section; `fail(offset, what)` makes the error to throw.
    static func decode(_ r: inout ByteReader, criteria: Bool,
                       fail: (Int, String) -> DataFileError) throws(DataFileError) -> Schema {
        do {
            var entities: [EntityDef] = []
            let entityCount = try r.count(minimumSize: 20)
            guard (1...Int(UInt16.max - 1)).contains(entityCount) else {
                throw fail(r.fileOffset - 4, "the schema has \(entityCount) entities")
            }
            var pendingTypes: [(at: Int, entity: String, field: String, type: FieldType)] = []
            for _ in 0..<entityCount {
                let at = r.fileOffset
                let name = try r.string(), singular = try r.string(), title = try r.string()
                var columns: [String] = []
                for _ in 0..<(try r.count(minimumSize: 4)) { columns.append(try r.string()) }
                var fields: [FieldDef] = []
                let fieldCount = try r.count(minimumSize: 10)
                guard fieldCount < Int(UInt16.max) else { throw fail(at, "entity \"\(name)\" has \(fieldCount) fields") }
                for _ in 0..<fieldCount {
                    let fieldAt = r.fileOffset
                    let fieldName = try r.string()
                    let tag = try r.u8()
                    let parameter = tag >= 7 ? try r.string() : nil
                    guard let type = fieldType(tag, parameter) else {
                        throw fail(fieldAt, "field \"\(fieldName)\" of \"\(name)\" has an unknown type (\(tag))")
                    }
                    let summary = try r.string()
                    let indexed = try r.u8()
                    guard indexed <= 1 else { throw fail(r.fileOffset - 1, "field \"\(fieldName)\" has a bad flag") }
                    fields.append(FieldDef(fieldName, type, summary, indexed: indexed == 1))
                    pendingTypes.append((fieldAt, name, fieldName, type))
                }
                let entity = EntityDef(name: name, singular: singular, fields: fields, defaultColumns: columns,
                                       titleField: title)
                if let problem = problem(with: entity, among: entities) { throw fail(at, problem) }
                entities.append(entity)
            }
            var enums: [String: [String]] = [:]
            for _ in 0..<(try r.count(minimumSize: 8)) {
                let at = r.fileOffset
                let name = try r.string()
                var values: [String] = []
                for _ in 0..<(try r.count(minimumSize: 4)) { values.append(try r.string()) }
                guard !values.isEmpty, enums[name] == nil else {
                    throw fail(at, values.isEmpty ? "enum \"\(name)\" has no values" : "enum \"\(name)\" is listed twice")
                }
                enums[name] = values
            }
            var pipelines: [Pipeline] = []
            for _ in 0..<(try r.count(minimumSize: 8)) {
                let name = try r.string()
                var stages: [Stage] = []
                for _ in 0..<(try r.count(minimumSize: criteria ? 13 : 9)) {
                    let at = r.fileOffset
                    guard let stage = try PipelineCoding.decodeStage(&r, criteria: criteria) else {
                        throw fail(at, "a stage of pipeline \"\(name)\" has a bad probability, flag or criterion")
                    }
                    stages.append(stage)
                }
                let pipeline = Pipeline(name: name, stages: stages)
                if pipelines.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                    throw fail(r.fileOffset, "pipeline \"\(name)\" is listed twice")
                }
                pipelines.append(pipeline)
            }
            let schema = Schema(entities: entities, enums: enums, pipelines: pipelines)
            for p in pendingTypes {
                switch p.type {
                case .enumeration(let e) where enums[e] == nil:
                    throw fail(p.at, "field \"\(p.field)\" of \"\(p.entity)\" uses enum \"\(e)\", which the schema lacks")
                case .reference(let target) where schema.entity(named: target)?.name != target:
                    throw fail(p.at, "field \"\(p.field)\" of \"\(p.entity)\" refers to \"\(target)\", which the schema lacks")
                default:
                    continue
                }
            }
            return schema
        } catch let overrun as ByteReader.Overrun {
            throw fail(overrun.offset, "the schema ends in the middle of an entry")
        } catch {
            throw error as! DataFileError
        }
    }

    private static func problem(with e: EntityDef, among earlier: [EntityDef]) -> String? {
        if e.name.isEmpty || e.singular.isEmpty { return "an entity has no name" }
        // Statements name entities and fields as identifiers, looked up in lower case: a name
        // that is not one could never be used, and lookups assume it cannot occur.
        for name in [e.name, e.singular] + e.fields.map(\.name) where !name.isEmpty && !isLowercaseIdentifier(name) {
            return "\"\(name)\" is not a name crmq can use (lower-case letters, digits and _, not starting with a digit)"
        }
        for other in earlier where [other.name, other.singular].contains(where: { $0 == e.name || $0 == e.singular }) {
            return "entity \"\(e.name)\" is named twice"
        }
        var seen: Set<String> = []
        for f in e.fields {
            if f.name.isEmpty || !seen.insert(f.name).inserted { return "entity \"\(e.name)\" has two fields named \"\(f.name)\"" }
        }
        return nil
    }

    private static func isLowercaseIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func letter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || b == 0x5F }
        return bytes.first.map(letter) == true && bytes.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    static func typeTag(_ t: FieldType) -> (UInt8, String?) {
        switch t {
        case .text: (0, nil)
        case .int: (1, nil)
        case .money: (2, nil)
        case .percent: (3, nil)
        case .bool: (4, nil)
        case .date: (5, nil)
        case .datetime: (6, nil)
        case .enumeration(let e): (7, e)
        case .reference(let e): (8, e)
        }
    }

    static func fieldType(_ tag: UInt8, _ parameter: String?) -> FieldType? {
        switch tag {
        case 0: .text
        case 1: .int
        case 2: .money
        case 3: .percent
        case 4: .bool
        case 5: .date
        case 6: .datetime
        case 7: parameter.map { .enumeration($0) }
        case 8: parameter.map { .reference($0) }
        default: nil
        }
    }
}

/// What a snapshot keeps about each collection besides its columns.
struct CollectionInfo: Equatable {
    var rows: Int
    /// The id the next new record gets: above every id ever handed out, deleted ones included.
    var nextId: Int64
    var indexedFields: [Int]

    static func encode(_ db: Database) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(db.schema.entities.count))
        for e in db.schema.entities {
            let c = db[e.name]
            w.u64(UInt64(c.count))
            w.i64(c.nextId)
            let indexed = c.indexedFields.sorted()
            w.u32(UInt32(indexed.count))
            for f in indexed { w.u16(UInt16(f)) }
        }
        return w.bytes
    }

    static func decode(_ r: inout ByteReader, schema: Schema,
                       fail: (Int, String) -> DataFileError) throws(DataFileError) -> [CollectionInfo] {
        do {
            let count = Int(try r.u32())
            guard count == schema.entities.count else {
                throw fail(r.fileOffset - 4, "\(count) collections are listed for \(schema.entities.count) entities")
            }
            var out: [CollectionInfo] = []
            for e in schema.entities {
                let at = r.fileOffset
                let rows = try r.u64(), nextId = try r.i64()
                guard rows < UInt64(Int32.max), nextId >= 1, nextId <= Int64(Int32.max), UInt64(nextId) > rows else {
                    throw fail(at, "\(e.name) has \(rows) records and next id \(nextId)")
                }
                var indexed: [Int] = []
                for _ in 0..<(try r.count(minimumSize: 2)) {
                    let f = Int(try r.u16())
                    guard f > 0, f < e.fields.count else { throw fail(r.fileOffset - 2, "\(e.name) indexes a field it lacks") }
                    indexed.append(f)
                }
                out.append(CollectionInfo(rows: Int(rows), nextId: nextId, indexedFields: indexed))
            }
            return out
        } catch let overrun as ByteReader.Overrun {
            throw fail(overrun.offset, "the list of collections ends in the middle of an entry")
        } catch {
            throw error as! DataFileError
        }
    }
}
