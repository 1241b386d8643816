import Foundation
import Testing
@testable import CrmqEngine

// Running sqlite3 and spelling crmq semantics in SQL, for the differential tests.

// MARK: - Errors and random numbers

struct DifferentialError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// SplitMix64: small, fast and the same on every platform, so a failing case can be reproduced.
struct DiffRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    mutating func int(in r: ClosedRange<Int>) -> Int { r.lowerBound + int(r.count) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(UInt64(1) << 53) < p }
    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
}

// MARK: - sqlite3

/// Runs sqlite3 as a subprocess on a database file.
struct SQLiteRunner: Sendable {
    let executable: String
    let database: String
    let workDir: URL

    static let rowSeparator: Character = "\u{1E}"
    static let columnSeparator: Character = "\u{1F}"
    static let endMarker = "@@crmq-differential-end@@"

    static func locate() -> String? {
        var candidates = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"]
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(dir)/sqlite3")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a script; returns its standard output. Anything on standard error is a failure.
    func run(script: String) throws(DifferentialError) -> String {
        let id = UUID().uuidString
        let scriptURL = workDir.appendingPathComponent("script-\(id).sql")
        let outURL = workDir.appendingPathComponent("out-\(id).txt")
        let errURL = workDir.appendingPathComponent("err-\(id).txt")
        defer {
            for u in [scriptURL, outURL, errURL] { try? FileManager.default.removeItem(at: u) }
        }
        do {
            try script.write(to: scriptURL, atomically: false, encoding: .utf8)
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = ["-batch", database]
            p.standardInput = try FileHandle(forReadingFrom: scriptURL)
            p.standardOutput = try FileHandle(forWritingTo: outURL)
            p.standardError = try FileHandle(forWritingTo: errURL)
            try p.run()
            p.waitUntilExit()
            let out = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
            let err = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            if p.terminationStatus != 0 || !err.isEmpty {
                throw DifferentialError("sqlite3 failed (exit \(p.terminationStatus)): \(err.prefix(2000))")
            }
            return out
        } catch let e as DifferentialError {
            throw e
        } catch {
            throw DifferentialError("could not run \(executable): \(error)")
        }
    }

    /// Runs queries in one sqlite3 process; returns each query's rows, each row's cells as text
    /// (null as an empty string).
    func query(_ queries: [String]) throws(DifferentialError) -> [[[String]]] {
        var script = ".headers off\n.mode list\n.nullvalue ''\n.separator \"\\037\" \"\\036\"\n"
        for q in queries {
            script += q + ";\nSELECT '\(SQLiteRunner.endMarker)';\n"
        }
        let out = try run(script: script)
        var results: [[[String]]] = []
        var current: [[String]] = []
        for row in out.split(separator: SQLiteRunner.rowSeparator, omittingEmptySubsequences: false) {
            if row == SQLiteRunner.endMarker[...] {
                results.append(current)
                current = []
                continue
            }
            if row.isEmpty && current.isEmpty && results.count == queries.count { continue }
            current.append(row.split(separator: SQLiteRunner.columnSeparator, omittingEmptySubsequences: false).map(String.init))
        }
        guard results.count == queries.count else {
            throw DifferentialError("sqlite3 returned \(results.count) result sets for \(queries.count) queries")
        }
        return results
    }
}

// MARK: - SQL spelling

enum SQLText {
    static func string(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
    static func ident(_ s: String) -> String { "\"" + s + "\"" }
    static func pos(_ condition: String) -> String { "COALESCE((\(condition)), 0)" }
    static func neg(_ condition: String) -> String { "(NOT COALESCE((\(condition)), 0))" }

    /// Integer hundredths as crmq prints money and percent: "-1234.50".
    static func hundredths(_ e: String) -> String {
        "(CASE WHEN (\(e)) IS NULL THEN '' ELSE printf('%s%d.%02d', CASE WHEN (\(e)) < 0 THEN '-' ELSE '' END, abs(\(e)) / 100, abs(\(e)) % 100) END)"
    }

    /// A value of this type as crmq's plain text (csv) shows it; null as ''.
    static func render(_ e: String, _ type: FieldType) -> String {
        switch type {
        case .money, .percent: hundredths(e)
        case .int, .reference: "COALESCE(CAST((\(e)) AS TEXT), '')"
        case .bool: "(CASE (\(e)) WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE '' END)"
        case .text, .enumeration, .date, .datetime: "COALESCE((\(e)), '')"
        }
    }

    static func signed(_ n: Int) -> String { n < 0 ? "\(n)" : "+\(n)" }
}

/// A path (`account.owner.team`) spelled in SQL over the row alias `t`.
struct SQLPath {
    var text: String
    var type: FieldType
    var sql: String
    /// Entity and field the path ends at (for literal pools).
    var entity: String
    var field: String
}
