import Foundation
import Testing
@testable import CrmqEngine

// Comparing the two engines' answers.

// MARK: - Comparing

enum DiffCompare {
    /// Describes how two answers differ, or nil when they agree.
    static func difference(crmq: [[String]], sql: [[String]], ordered: Bool) -> String? {
        let a = ordered ? crmq : crmq.sorted { $0.lexicographicallyPrecedes($1) }
        let b = ordered ? sql : sql.sorted { $0.lexicographicallyPrecedes($1) }
        if a == b { return nil }
        func show(_ rows: [[String]]) -> String {
            rows.prefix(8).map { $0.count == 1 ? $0[0] : "[" + $0.joined(separator: " | ") + "]" }.joined(separator: ", ")
                + (rows.count > 8 ? ", … (\(rows.count) in all)" : "")
        }
        var text = "crmq returned \(a.count) rows, sqlite \(b.count)."
        if ordered {
            if let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? (a.count != b.count ? min(a.count, b.count) : nil) {
                text += " First difference at row \(i): crmq \(i < a.count ? show([a[i]]) : "(none)"), sqlite \(i < b.count ? show([b[i]]) : "(none)")."
            }
        }
        let onlyA = multisetMinus(a, b), onlyB = multisetMinus(b, a)
        if !onlyA.isEmpty { text += " Only in crmq: \(show(onlyA))." }
        if !onlyB.isEmpty { text += " Only in sqlite: \(show(onlyB))." }
        if onlyA.isEmpty && onlyB.isEmpty { text += " Same rows, different order. crmq: \(show(a)); sqlite: \(show(b))." }
        return text
    }

    private static func multisetMinus(_ a: [[String]], _ b: [[String]]) -> [[String]] {
        var counts: [[String]: Int] = [:]
        for r in b { counts[r, default: 0] += 1 }
        var out: [[String]] = []
        for r in a {
            if let n = counts[r], n > 0 { counts[r] = n - 1 } else { out.append(r) }
        }
        return out
    }

    /// Runs crmq and sqlite on the same questions and records every disagreement.
    /// `column` picks the cells compared from crmq's result (the ids of a find); nil compares every cell.
    static func check(_ fx: DifferentialFixture, _ queries: [GeneratorQuery], label: String,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> [[[String]]] {
        let sqlResults = try fx.sqlite.query(queries.map(\.sql))
        var failures = 0
        var crmqRows: [[[String]]] = []
        for (q, sqlRows) in zip(queries, sqlResults) {
            let result: ResultSet
            do {
                result = try fx.crmq(q.crmq)
            } catch {
                failures += 1
                Issue.record(Comment(rawValue: "crmq refused \(label) query\n  crmq: \(q.crmq)\n  error: \(error.message)"),
                             sourceLocation: sourceLocation)
                crmqRows.append([])
                continue
            }
            let rows: [[String]]
            if let column = q.column {
                guard let ids = result.texts(column) else {
                    Issue.record(Comment(rawValue: "crmq result has no \(column) column\n  crmq: \(q.crmq)"),
                                 sourceLocation: sourceLocation)
                    crmqRows.append([])
                    continue
                }
                rows = ids.map { [$0] }
            } else {
                rows = result.plainRows
            }
            crmqRows.append(rows)
            if let diff = difference(crmq: rows, sql: sqlRows, ordered: q.ordered) {
                failures += 1
                if failures <= 15 {
                    #expect(Bool(false), Comment(rawValue: """
                        crmq and sqlite disagree on a \(label) query.
                          crmq: \(q.crmq)
                          sql:  \(q.sql)
                          \(diff)
                        """), sourceLocation: sourceLocation)
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(queries.count) \(label) queries disagree", sourceLocation: sourceLocation)
        return crmqRows
    }
}

/// One question for both engines.
struct GeneratorQuery {
    var crmq: String
    var sql: String
    var ordered: Bool
    /// The result column compared (`id` for finds); nil compares every cell.
    var column: String?
    /// The fewest rows the answer must have, so the case can fail at all.
    var minRows = 0
}
