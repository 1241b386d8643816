/// Placeholder until branch `child` lands `bindChildAggregate` (Binder+Related.swift); removed at that merge.
extension Binder {
    func bindChildAggregate(_ syntax: ChildAggregateSyntax, _ entity: EntityDef) throws(Diagnostic) -> BoundChildAggregate {
        throw Diagnostic(.binder, "aggregates over related records are not bound on this branch", at: syntax.range)
    }
}
