/// Statements crmq writes for itself (a view's sections, a record found by name) run through the
/// normal path, parse, bind, plan, execute, exactly as if the user had typed them.
extension Session {
    /// Runs a query crmq wrote and returns its result; reads the collections and builds the
    /// indexes it needs, as a typed statement would.
    mutating func runPlain(_ text: String, cancellation: Cancellation) throws(Diagnostic) -> ResultSet {
        let bound = try bindPlain(text)
        try read(entities(of: bound))
        try prepareIndexes(for: bound, cancellation: cancellation)
        // Only what the session's role may read (Permissions/): a field it may not read is empty there.
        let data = try permittedData(cancellation: cancellation)
        let planner = Planner(data)
        do throws(Diagnostic) {
            switch bound {
            case .find(let q): return try FindExecutor(db: data, cancellation: cancellation).run(planner.plan(q))
            case .aggregate(let q): return try AggregateExecutor(db: data, cancellation: cancellation).run(planner.plan(q))
            default: throw Diagnostic(.executor, "not a query")
            }
        } catch {
            throw Session.plainFailure(error, text)
        }
    }

    /// `explain [analyze] TEXT` for a query crmq wrote: its plan as `explain` prints it.
    mutating func explainPlain(_ text: String, analyze: Bool, cancellation: Cancellation) throws(Diagnostic) -> String {
        let bound = try bindPlain((analyze ? "explain analyze " : "explain ") + text)
        try read(entities(of: bound))
        try prepareIndexes(for: bound, cancellation: cancellation)
        guard case .explain(let e) = bound else { throw Session.plainFailure(Diagnostic(.executor, "not a query"), text) }
        let data = try permittedData(cancellation: cancellation)
        do throws(Diagnostic) {
            return try Explainer(db: data, cancellation: cancellation).explain(e)
        } catch {
            throw Session.plainFailure(error, text)
        }
    }

    private func bindPlain(_ text: String) throws(Diagnostic) -> BoundStatement {
        do throws(Diagnostic) {
            var parser = Parser(SourceText(name: "crmq", text: text))
            guard let statement = try parser.nextStatement() else { throw Diagnostic(.parser, "no statement") }
            // crmq's own statements may name a field the role may not read: it reads empty (Permissions/).
            return try unhiddenBinder.bind(statement)
        } catch {
            throw Session.plainFailure(error, text)
        }
    }

    /// A statement crmq wrote cannot fail on the user's input: if it does, that is a bug, said
    /// with the statement, not pointed at the user's text. Cancellation stays what it is.
    private static func plainFailure(_ error: Diagnostic, _ text: String) -> Diagnostic {
        if error.cancelled != nil { return error }
        return Diagnostic(.executor, "internal error: a statement crmq wrote failed: \(error.message)", hint: text)
    }
}
