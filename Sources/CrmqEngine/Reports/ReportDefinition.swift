/// A report is a list of plain crmq statements and a way to put their results together in one table.
///
/// Each kind of report is a type conforming to `ReportDefinition`, in a file of its own, listed
/// in `ReportRegistry`. The binder checks the user's clauses against `clauses`, binds the `where`
/// on `baseEntity` (so its errors point at what the user wrote), and makes the report from the
/// resolved `ReportRequest`; the session runs `statements` through the normal parse, bind, plan
/// and execute path, and hands their results, in order, to `table`.
protocol ReportDefinition: Sendable {
    /// The word after `report`: `funnel`.
    static var name: String { get }
    /// One line for `help reports` and `explain report`.
    static var summary: String { get }
    /// The entity the user's `where` is a condition on.
    static var baseEntity: String { get }
    /// The clauses the report takes besides `where`.
    static var clauses: ReportClauses { get }

    /// The report for `request`; errors point at the clause that is wrong.
    init(_ request: ReportRequest) throws(Diagnostic)

    /// The statements to run, in order.
    func statements(_ context: ReportContext) -> [ReportQuery]

    /// The table, from the statements' results (one per statement, in order).
    func table(_ results: [ResultSet], _ context: ReportContext) -> ReportTable
}

/// The clauses a kind of report takes besides `where`.
struct ReportClauses: Sendable {
    /// `for pipeline "P"`.
    var pipeline = false
    /// The period when none is given; nil when the report takes none.
    var defaultPeriod: Window?
    /// The keys `by` takes, as written (`owner`, `owner.team`, `month`); empty when it takes none.
    var groupings: [String] = []
    /// The key when `by` is not given; nil for one row (or, with `groupRequired`, an error).
    var defaultGrouping: String?
    /// `by` must be given (`report won ... by type`).
    var groupRequired = false
}

/// What the binder resolved from the user's clauses.
struct ReportRequest: Sendable {
    var schema: Schema
    var today: Int64
    var fiscalYearStartMonth: Int
    /// `for pipeline`, resolved; nil when not given.
    var pipeline: Pipeline?
    /// The period given, or the report's default.
    var period: ReportPeriod?
    /// The `by` key (one of `clauses.groupings`), or the default.
    var grouping: String?
    /// Whether the report is read `as of` a moment: `today` is that day, and periods the report
    /// makes itself are spelled as dates (`spelledAsDates`), not relative to the session's today.
    var isAsOf = false

    /// The period, which the binder gives every report that takes one (its default when none is written).
    func requiredPeriod(of report: String) throws(Diagnostic) -> ReportPeriod {
        guard let period else {
            throw Diagnostic(.binder, "internal error: report \(report) was given no period")
        }
        return period
    }
}

/// What the statements depend on besides the request: the moment that is "now", the user's
/// condition and the `as of` cut-off, both spliced in as text.
struct ReportContext: Sendable {
    /// Seconds since the epoch: `overdue` means due before this.
    var now: Int64
    var condition: ReportCondition?
    /// `as of ...` as written, after the entity of each statement; nil for the data as it is.
    var asOf: String?

    /// `count opportunities where A and B and (USER) by K`, or `sum value of opportunities ...`:
    /// an aggregate over `entity` with the conditions given and the user's, in that order.
    func aggregate(_ calls: String, of entity: String, where conditions: [String] = [], by keys: [String] = [],
                   withTotals: Bool = false, userCondition: Bool = true) -> ReportQuery {
        var q = ReportQuery(calls == "count" ? "count \(entity)" : "\(calls) of \(entity)")
        if let asOf { q.append(" as of \(asOf)") }
        let user = userCondition ? condition : nil
        if !conditions.isEmpty || user != nil {
            q.append(" where " + conditions.joined(separator: " and "))
            if let user {
                q.append(conditions.isEmpty ? "(" : " and (")
                q.splice(user)
                q.append(")")
            }
        }
        if !keys.isEmpty { q.append(" by " + keys.joined(separator: ", ")) }
        if withTotals { q.append(" with totals") }
        return q
    }
}

/// One statement a report runs, as text, with where the user's condition was spliced in.
struct ReportQuery: Sendable, Equatable {
    private(set) var text: String
    /// The byte offsets in `text` at which the user's condition starts.
    private(set) var splices: [Int] = []

    init(_ text: String) { self.text = text }

    mutating func append(_ s: String) { text += s }

    mutating func splice(_ c: ReportCondition) {
        splices.append(text.utf8.count)
        text += c.text
    }

    /// The user's range for an error at `range` of this statement, when it is in the user's condition.
    func userRange(_ range: SourceRange, _ c: ReportCondition) -> SourceRange? {
        let length = c.text.utf8.count
        for start in splices where range.start >= start && range.start < start + length {
            let local = SourceRange(range.start - start, min(range.end, start + length) - start)
            return c.sourceRange(of: local)
        }
        return nil
    }
}

/// A report's result: a table, what to say above it, and the chart a terminal gets.
struct ReportTable: Sendable {
    /// One line above the table (not in csv or json): what the figures cover.
    var caption: String
    var result: ResultSet
    var chart: ReportChart = .none
    /// At a terminal the chart says it all (the dashboard's panel): no table above it.
    var chartReplacesTable = false
}

/// What a report draws at a terminal below its table.
enum ReportChart: Sendable {
    case none
    /// Centred bars of the int column `column`, one per row but the last `skipLast` (a total).
    case funnel(column: Int, skipLast: Int)
    /// Bars of a number column, one per row.
    case bars(column: Int)
    /// The dashboard's panel.
    case dashboard(DashboardFigures)
}
