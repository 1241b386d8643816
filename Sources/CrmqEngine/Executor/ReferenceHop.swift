/// One step along a reference: the referring column and the id -> row map of the collection it
/// refers to, which together take a row of one collection to a row of the next.
struct ReferenceHop {
    /// The referring collection's reference column (ids, `nullInt` for none).
    let refs: IntColumn
    /// The referred-to collection's name and id map.
    let target: String
    let targetMap: IdMap

    init(_ hop: FieldRef, in db: Database) {
        let source = db[hop.entity]
        guard case .reference(let target) = source.entity.fields[hop.field].type else {
            preconditionFailure("the binder only lets references be followed")
        }
        refs = source.columns[hop.field].integers
        self.target = target
        targetMap = db[target].idMap
    }
}
