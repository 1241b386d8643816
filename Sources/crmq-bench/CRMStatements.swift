/// The statements of the CRM language beyond Q1-Q12 (issue #13: child-collection filters,
/// segments, every report, `as of`), each timed in-process like Q1-Q12; scripts/bench_crm.py asks
/// the same questions of SQLite and DuckDB in hand-written SQL and compares the figures.
enum CRMStatements {
    /// Run once on the session before any query (the segment the S queries use).
    static let setup = ["define segment big_accounts as accounts where employees >= 1000"]

    static let all: [(String, String)] = [
        // Child-collection filters.
        ("C1", #"count accounts where any opportunities (stage = "Negotiation" and value > 100000)"#),
        ("C2", "count accounts where no opportunities"),
        ("C3", #"count accounts where count(opportunities where stage = "Closed Won") >= 3"#),
        // A segment, and queries through it.
        ("S1", "count opportunities where account in big_accounts by stage"),
        ("S2", "count big_accounts by industry"),
        // Every report, two forms each.
        ("R1", "report funnel"),
        ("R2", #"report funnel for pipeline "Enterprise""#),
        ("R3", "report forecast"),
        ("R4", "report forecast by owner"),
        ("R5", "report activity"),
        ("R6", "report activity this quarter by owner.team"),
        ("R7", "report attribution"),
        ("R8", "report attribution by campaign"),
        ("R9", "report won by type"),
        ("R10", "report won by owner"),
        // The data as it stood at a moment (stage history).
        ("A1", "count opportunities as of 2026-03-31 by stage"),
        ("A2", "count, sum value of opportunities as of 2025-12-31 by stage"),
    ]
}
