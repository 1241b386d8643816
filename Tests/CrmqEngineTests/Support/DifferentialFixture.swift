import Foundation
import Testing
@testable import CrmqEngine

// The demo database exported to CSV and loaded into sqlite3 once per test run.

// MARK: - Fixture

/// The demo database, its CSV export imported into sqlite, and the values found in it.
final class DifferentialFixture: Sendable {
    static let todayText = "2026-06-15"
    static let shared: Result<DifferentialFixture, DifferentialError> = {
        do throws(DifferentialError) { return .success(try DifferentialFixture()) } catch { return .failure(error) }
    }()

    static func get() throws -> DifferentialFixture { try shared.get() }

    let session: Session
    let schema: Schema
    let sqlite: SQLiteRunner
    let directory: URL
    /// entity -> field -> the distinct non-null values (plain text), sorted.
    let pools: [String: [String: [String]]]
    /// Non-ASCII letters in the data whose lowercase differs (sqlite's lower() only folds ASCII).
    let foldPairs: [(String, String)]
    let rowCounts: [String: Int]

    private init() throws(DifferentialError) {
        guard let exe = SQLiteRunner.locate() else {
            throw DifferentialError("""
                sqlite3 is not installed (looked in /usr/bin, /usr/local/bin and PATH). \
                The differential tests compare crmq with sqlite3: install it with scripts/install-deps \
                (apt-get install sqlite3) or run scripts/test, which does so.
                """)
        }
        let today = Day.parse(Self.todayText)!
        let db = DemoGenerator.generate(DemoOptions(scale: 0.002, seed: 1, today: today))
        let session = Session(database: db, settings: Session.Settings(today: today))
        self.session = session
        self.schema = db.schema
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("crmq-differential-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw DifferentialError("cannot create \(dir.path): \(error)")
        }
        directory = dir
        Self.removeAtExit(dir)
        let runner = SQLiteRunner(executable: exe, database: dir.appendingPathComponent("crm.sqlite").path, workDir: dir)
        sqlite = runner

        let loaded = try Self.load(session, into: runner, directory: dir)
        self.pools = loaded.pools
        self.rowCounts = loaded.counts
        self.foldPairs = loaded.folds
    }

    /// Removes the temporary directory when the test process ends.
    nonisolated(unsafe) private static var cleanupPath: String?

    private static func removeAtExit(_ dir: URL) {
        cleanupPath = dir.path
        atexit {
            if let path = DifferentialFixture.cleanupPath { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    /// Exports every entity of the session's database with `find ENTITY show *` as CSV, imports the
    /// files into typed sqlite tables (money and percent as integer hundredths, bool as 0/1, empty
    /// fields as NULL) and returns the values found, per field.
    static func load(_ session: Session, into runner: SQLiteRunner, directory dir: URL) throws(DifferentialError)
        -> (pools: [String: [String: [String]]], counts: [String: Int], folds: [(String, String)]) {
        var pools: [String: [String: [String]]] = [:]
        var folds: [String: String] = [:]
        var counts: [String: Int] = [:]
        var script = ".bail on\n"
        let entities = session.database.schema.entities
        for e in entities {
            let result: ResultSet
            do {
                result = try session.query("find \(e.name) show *")
            } catch {
                throw DifferentialError("find \(e.name) show * failed: \(error.message)")
            }
            guard result.columns.map(\.name) == e.fields.map(\.name) else {
                throw DifferentialError("find \(e.name) show * returned columns \(result.columns.map(\.name)), not the entity's fields")
            }
            counts[e.name] = result.rowCount
            var sink = StringSink()
            ResultWriter.write(result, as: .csv, to: &sink)
            let csv = dir.appendingPathComponent("\(e.name)-\(UUID().uuidString).csv")
            do {
                try sink.text.write(to: csv, atomically: false, encoding: .utf8)
            } catch {
                throw DifferentialError("cannot write \(csv.path): \(error)")
            }
            var fieldPools: [String: [String]] = [:]
            for (c, f) in e.fields.enumerated() {
                var seen = Set<String>()
                for r in 0..<result.rowCount {
                    let v = result.value(row: r, column: c)
                    if !v.isNull { seen.insert(v.plainText) }
                }
                fieldPools[f.name] = seen.sorted()
                if f.type == .text {
                    for s in seen {
                        for ch in s where !ch.isASCII {
                            let lower = String(ch).lowercased()
                            if lower != String(ch) { folds[String(ch)] = lower }
                        }
                    }
                }
            }
            pools[e.name] = fieldPools

            let raw = SQLText.ident("raw_\(e.name)")
            script += "CREATE TABLE \(raw) (\(e.fields.map { "\(SQLText.ident($0.name)) TEXT" }.joined(separator: ", ")));\n"
            script += ".import --csv --skip 1 \"\(csv.path)\" raw_\(e.name)\n"
            let columns = e.fields.map { f -> String in
                let type: String = switch f.type {
                case .int, .reference, .money, .percent, .bool: "INTEGER"
                default: "TEXT"
                }
                return "\(SQLText.ident(f.name)) \(type)\(f.name == "id" ? " PRIMARY KEY" : "")"
            }
            script += "CREATE TABLE \(SQLText.ident(e.name)) (\(columns.joined(separator: ", ")));\n"
            let converted = e.fields.map { f -> String in
                let c = "NULLIF(\(SQLText.ident(f.name)), '')"
                return switch f.type {
                case .int, .reference: "CAST(\(c) AS INTEGER)"
                case .money, .percent: "CAST(ROUND(CAST(\(c) AS REAL) * 100) AS INTEGER)"
                case .bool: "(CASE \(c) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)"
                default: c
                }
            }
            script += "INSERT INTO \(SQLText.ident(e.name)) SELECT \(converted.joined(separator: ", ")) FROM \(raw);\n"
            script += "DROP TABLE \(raw);\n"
            // EXISTS over a child collection looks children up by their reference: without an index
            // sqlite rescans the child table per parent.
            for f in e.fields {
                if case .reference = f.type {
                    script += "CREATE INDEX \(SQLText.ident("\(e.name)_\(f.name)")) ON \(SQLText.ident(e.name)) (\(SQLText.ident(f.name)));\n"
                }
            }
        }
        // How each pipeline calls its stages, as data (PipelineSQL).
        script += PipelineSQL.createScript(session.database.schema.pipelines)
        _ = try runner.run(script: script)

        // The import must have kept every row.
        let names = entities.map(\.name)
        let imported = try runner.query(names.map { "SELECT COUNT(*) FROM \(SQLText.ident($0))" })
        for (i, n) in names.enumerated() where imported[i].first?.first != String(counts[n]!) {
            throw DifferentialError("sqlite holds \(imported[i]) rows of \(n), crmq \(counts[n]!)")
        }
        return (pools, counts, folds.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Case folding as crmq does it: lower() for ASCII, plus the non-ASCII letters of the data.
    func fold(_ e: String) -> String { Self.fold(e, foldPairs) }

    static func fold(_ e: String, _ pairs: [(String, String)]) -> String {
        var s = "lower(\(e))"
        for (upper, lower) in pairs { s = "replace(\(s), '\(upper)', '\(lower)')" }
        return s
    }

    func enumValues(_ name: String) -> [String] { schema.enumValues(name) }

    /// The enum's position in its value list (stage: pipeline order).
    func enumRank(_ e: String, _ name: String) -> String {
        "(CASE \(e) " + enumValues(name).enumerated().map { "WHEN \(SQLText.string($1)) THEN \($0)" }.joined(separator: " ") + " END)"
    }

    func path(_ text: String, from root: String, alias: String = "t") -> SQLPath {
        let parts = text.split(separator: ".").map { String($0).lowercased() }
        var entity = schema.entity(named: root)!
        var field = entity.field(parts[0])!
        var sql = "\(alias).\(SQLText.ident(field.name))"
        for (i, name) in parts.enumerated().dropFirst() {
            guard case .reference(let target) = field.type else { preconditionFailure("\(text): not a reference") }
            entity = schema.entity(named: target)!
            field = entity.field(name)!
            let a = "\(alias)\(i)"
            sql = "(SELECT \(a).\(SQLText.ident(field.name)) FROM \(SQLText.ident(entity.name)) \(a) WHERE \(a).id = \(sql))"
        }
        return SQLPath(text: text, type: field.type, sql: sql, entity: entity.name, field: field.name)
    }

    func pool(_ p: SQLPath) -> [String] { pools[p.entity]?[p.field] ?? [] }

    /// The SQL `ORDER BY` terms that sort like crmq: nulls last either way, text ignoring case.
    func sortTerms(_ e: String, _ type: FieldType, descending: Bool) -> [String] {
        let d = descending ? " DESC" : ""
        switch type {
        case .text: return ["(\(e)) IS NULL", fold(e) + d, "(\(e))" + d]
        case .enumeration(let name): return ["(\(e)) IS NULL", enumRank(e, name) + d]
        default: return ["(\(e)) IS NULL", "(\(e))" + d]
        }
    }

    func crmq(_ text: String) throws(Diagnostic) -> ResultSet { try session.query(text) }
}

extension ResultSet {
    func texts(_ name: String) -> [String]? {
        guard let c = columns.firstIndex(where: { $0.name == name }) else { return nil }
        return (0..<rowCount).map { value(row: $0, column: c).plainText }
    }
}
