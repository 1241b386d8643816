/// Related records, bound: the records of a child entity that refer to a parent row, reached from
/// the statement's entity (`opportunities` of an account; `account.opportunities` of a contact).

/// A child collection: the rows of `child` whose reference field `reference` holds the id of a
/// `parent` row; the parent row is reached from a row of the statement's entity through `hops`.
public struct BoundChildCollection: Hashable, Sendable {
    /// The statement's entity.
    public var root: String
    /// References followed from the root to the parent (empty when the parent is the root).
    public var hops: [FieldRef]
    public var parent: String
    public var child: String
    /// The child's field that refers to the parent.
    public var reference: Int
    /// As written, canonically: `account.opportunities`, `opportunities via owner`.
    public var text: String

    /// What finding the collection reads: the hops from the root to the parent (ending at the
    /// parent's id, so the parent is read too), and the child's reference (its reverse index).
    var readPaths: [BoundPath] {
        [BoundPath(root: root, hops: hops, field: FieldRef(entity: parent, field: 0), type: .int, text: text),
         BoundPath(root: child, hops: [], field: FieldRef(entity: child, field: reference), type: .reference(parent), text: text)]
    }
}

/// `count(...)`, `sum(C.F ...)`, `avg`, `min`, `max` over a child collection: one value per row of
/// the statement's entity. Over no records `count` and `sum` are 0, `avg`, `min` and `max` null; a
/// parent reached through a null reference gives null.
public struct BoundChildAggregate: Hashable, Sendable {
    public var function: AggregateFunction
    public var collection: BoundChildCollection
    /// What is aggregated, a path from the child entity; nil for `count`. A number, or for `min`
    /// and `max` a date, datetime or int-like ordered field.
    public var field: BoundPath?
    /// Which child records count.
    public var filter: BoundFilter
    public var resultType: ResultType
}
