/// `account in smb`: the segment's condition is evaluated once on its own collection, as a bitmap
/// of its rows, then each id (a reference's value, or the record's own id) is looked up in it.
/// Never once per row: a million contacts of ten thousand accounts evaluate the segment once.
struct SegmentMembership {
    /// Which rows of the segment's collection are in it.
    let members: Bitmap
    let idMap: IdMap

    init(_ segment: BoundSegment, in db: Database, cancellation: Cancellation = .none) throws(Diagnostic) {
        members = try FilterEvaluator(db, cancellation: cancellation).evaluate(segment.filter, on: segment.entity)
        idMap = db[segment.entity].idMap
    }

    /// Whether the record with this id is in the segment; a null or dangling id is not.
    func contains(_ id: Int64) -> Bool {
        let row = idMap.row(id)
        return row >= 0 && members[Int(row)]
    }

    /// The rows whose value (an id of the segment's entity, or null) is in the segment.
    func bitmap(_ values: IntColumn) -> Bitmap {
        idMap.dense.withUnsafeBufferPointer { table in
            values.bitmap { v in
                let row = idMap.row(v, dense: table)
                return row >= 0 && members[Int(row)]
            }
        }
    }
}
