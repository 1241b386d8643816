import Foundation
@testable import CrmqEngine

/// Whether a deal is open, won or lost, in SQL over the exported rows: by the kind its stage has in
/// the deal's own pipeline (no pipeline: the standard one), looked up in the table `stage_kinds`
/// that the fixture fills from the schema's pipelines as data (pipeline name, stage name, kind).
/// This does not go through crmq's own stage lists, which match won and lost stages by name.
enum PipelineSQL {
    static let table = "stage_kinds"

    /// The script that creates and fills `stage_kinds` (columns prefixed so that a correlated
    /// subquery's unqualified `pipeline` and `stage` name the outer row's).
    static func createScript(_ pipelines: [Pipeline]) -> String {
        let rows = pipelines.flatMap { p in
            p.stages.map { s in
                "(\(SQLText.string(p.name)), \(SQLText.string(s.name)), '\(s.isWon ? "won" : s.isClosed ? "lost" : "open")')"
            }
        }
        var script = "CREATE TABLE \(table) (sk_pipeline TEXT, sk_stage TEXT, sk_kind TEXT);\n"
        if !rows.isEmpty { script += "INSERT INTO \(table) VALUES \(rows.joined(separator: ", "));\n" }
        return script
    }

    /// The kind ('open', 'won', 'lost') of the stage of the row `alias` (or the row in scope when
    /// nil); NULL when the deal has no stage.
    static func kind(_ alias: String? = nil, standard: String = "Sales") -> String {
        let p = alias.map { "\($0)." } ?? ""
        return "(SELECT sk_kind FROM \(table) WHERE sk_pipeline = COALESCE(\(p)pipeline, \(SQLText.string(standard))) AND sk_stage = \(p)stage)"
    }

    static func isWon(_ alias: String? = nil) -> String { "COALESCE(\(kind(alias)) = 'won', 0)" }
    static func isLost(_ alias: String? = nil) -> String { "COALESCE(\(kind(alias)) = 'lost', 0)" }
    static func isClosed(_ alias: String? = nil) -> String { "COALESCE(\(kind(alias)) IN ('won', 'lost'), 0)" }
    /// Open: in an open stage of its pipeline (a deal without a stage is not open for the reports).
    static func isOpen(_ alias: String? = nil) -> String { "COALESCE(\(kind(alias)) = 'open', 0)" }
    /// Not closed: open, or with no stage (what the 360 view lists as open deals).
    static func isNotClosed(_ alias: String? = nil) -> String { "NOT \(isClosed(alias))" }
}
