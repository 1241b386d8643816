/// The statements that change the catalog: segments and the fiscal year.
public enum CatalogStatement: Equatable, Sendable {
    /// `define segment NAME as (ENTITY | SEGMENT) [where CONDITION]`. `conditionText` is the
    /// condition in a canonical spelling, as it is stored and parsed again at each use.
    case defineSegment(name: Name, base: Name, condition: Condition?, conditionText: String?)
    /// `drop segment NAME`
    case dropSegment(name: Name)
    /// `set fiscal year start = MONTH`: a month's name (`april`, any case) or number (`4`).
    case fiscalYearStart(month: Name)
    /// `define pipeline`, `alter pipeline`, `drop pipeline`, `require ... for stage` (AST+Pipelines.swift).
    case pipeline(PipelineStatement)
    /// `add field`, `rename field`, `drop field` (AST+Fields.swift).
    case field(FieldStatement)
    /// `grant ...`, `revoke ...` (AST+Grants.swift).
    case grant(GrantSyntax)
}
