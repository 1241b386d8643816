import Foundation
@testable import CrmqEngine

/// The round trip of issue #11: every entity of a database exported to CSV with crmq's own
/// `export find ENTITY show * to "DIR/ENTITY.csv"`, a new data file given the same schema by
/// statements, every file imported into it in dependency order, and the file opened again.
struct RoundTrip: Sendable {
    /// The database the files were exported from.
    let original: Database
    /// The database read back from the new data file.
    let copy: Database

    /// Runs `statements` that must all succeed; the transcript is the error when one does not.
    static func run(_ session: inout Session, _ statements: String, _ what: String) throws -> String {
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: what, text: statements), on: &console)
        guard outcome == .success else { throw RoundTripError("\(what) failed:\n\(console.transcript)") }
        return console.transcript
    }

    /// Settings both sides share; the clock is pinned so that statements which stamp the moment
    /// (a `create` in a golden script) stamp the same one on both.
    static func settings(today: Int64) -> Session.Settings {
        var settings = Session.Settings(today: today)
        settings.now = today * 86_400 + 43_200
        return settings
    }

    /// Exports `database`, imports it into a new file and reads that back. `edit` may change an
    /// exported file before it is imported (entity, the file's text -> the text to import).
    init(of database: Database, today: Int64, edit: (String, String) -> String = { $1 }) throws {
        original = database
        let directory = try TemporaryDirectory()
        let dir = directory.path
        var source = Session(database: database, settings: Self.settings(today: today))
        let schema = database.schema

        for entity in schema.entities {
            let path = "\(dir)/\(entity.name).csv"
            _ = try Self.run(&source, "export find \(entity.name) show * to \(Self.quoted(path))", "export \(entity.name)")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let edited = edit(entity.name, text)
            if edited != text { try edited.write(toFile: path, atomically: true, encoding: .utf8) }
        }

        let file = "\(dir)/copy.crmq"
        var target = try Session.open(file, settings: Self.settings(today: today)).0
        _ = try Self.run(&target, Self.schemaStatements(schema), "schema setup")
        for entity in Self.importOrder(schema) {
            let options = entity.name == "opportunities" ? " without history" : ""
            _ = try Self.run(&target, "import \(entity.name) from \(Self.quoted("\(dir)/\(entity.name).csv"))\(options)",
                             "import \(entity.name)")
        }
        // Criteria are required once the activities and contacts they look at are there: a deal
        // imported before its meeting would otherwise be refused.
        let criteria = Self.criteriaStatements(schema)
        if !criteria.isEmpty { _ = try Self.run(&target, criteria, "exit criteria") }

        // What counts is what the file holds: open it again and read every collection.
        var reopened = try Session.open(file, settings: Self.settings(today: today)).0
        try reopened.readAll()
        copy = reopened.database
        guard copy.schema.entities == schema.entities, copy.schema.pipelines == schema.pipelines,
              copy.schema.enums == schema.enums else {
            throw RoundTripError("the copy's schema differs from the original's")
        }
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - The schema, by statements

    /// What `schema` has beyond the standard schema, as the statements a user would type: the
    /// pipelines (without their criteria), the custom entities and the custom fields.
    static func schemaStatements(_ schema: Schema) -> String {
        var lines: [String] = []
        precondition(schema.pipelines.first == .standard, "the round trip expects the standard pipeline first, unchanged")
        for p in schema.pipelines.dropFirst() {
            let stages = p.stages.map { s in
                "\(quoted(s.name)) \(s.probability)\(s.isWon ? " won" : s.isLost ? " lost" : "")"
            }
            lines.append("define pipeline \(quoted(p.name)) stages (\(stages.joined(separator: ", ")))")
        }
        let standard = Dictionary(uniqueKeysWithValues: Schema.standard.entities.map { ($0.name, $0) })
        // Custom entities first, without their references (which may name a later entity).
        for e in schema.entities where standard[e.name] == nil {
            let plain = e.fields.dropFirst().filter { if case .reference = $0.type { false } else { true } }
            let fields = plain.map { "\($0.name) \(typeText($0.type, schema))" }
            lines.append("add entity \(e.name) singular \(e.singular) (\(fields.joined(separator: ", ")))")
        }
        for e in schema.entities {
            let known = Set(standard[e.name]?.fields.map(\.name) ?? [])
            for f in e.fields.dropFirst() where !known.contains(f.name) {
                let isReference = if case .reference = f.type { true } else { false }
                if standard[e.name] == nil && !isReference { continue }
                lines.append("add field \(f.name) to \(e.name) as \(typeText(f.type, schema))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func typeText(_ type: FieldType, _ schema: Schema) -> String {
        switch type {
        case .enumeration(let name): "enum (\(schema.enumValues(name).map(quoted).joined(separator: ", ")))"
        case .reference(let target): "reference to \(target)"
        default: type.name
        }
    }

    static func criteriaStatements(_ schema: Schema) -> String {
        var lines: [String] = []
        for p in schema.pipelines {
            for s in p.stages where !s.criteria.isEmpty {
                let criteria = s.criteria.map { c in
                    switch c {
                    case .filled(let field): field
                    case .condition(let text): text
                    }
                }
                lines.append("require \(criteria.joined(separator: ", ")) for stage \(quoted(s.name)) in pipeline \(quoted(p.name))")
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// Entities ordered so that each comes after the entities its references name (a reference to
    /// its own entity resolves within the file). Ties keep the schema's order.
    static func importOrder(_ schema: Schema) -> [EntityDef] {
        var done: [EntityDef] = []
        var left = schema.entities
        while !left.isEmpty {
            let names = Set(left.map(\.name))
            guard let next = left.firstIndex(where: { e in
                e.fields.allSatisfy { f in
                    guard case .reference(let target) = f.type else { return true }
                    return target == e.name || !names.contains(target)
                }
            }) else {
                preconditionFailure("references between \(names.sorted()) form a cycle")
            }
            done.append(left.remove(at: next))
        }
        return done
    }
}

struct RoundTripError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
