import Dispatch

extension Database {
    /// One index to build: which collection and field.
    public struct IndexJob: Sendable {
        public var entity: String
        public var field: Int
    }

    /// The indexes that are wanted but not built.
    public var missingIndexes: [IndexJob] {
        schema.entities.flatMap { e in
            let c = self[e.name]
            return c.indexedFields.sorted().filter { c.indexes[$0] == nil }.map { IndexJob(entity: e.name, field: $0) }
        }
    }

    /// Builds every missing index, on all cores. Returns how many were built.
    @discardableResult
    public mutating func buildIndexes() -> Int {
        buildIndexes(missingIndexes)
    }

    /// Builds the given missing indexes (some of `missingIndexes`), on all cores.
    @discardableResult
    public mutating func buildIndexes(_ jobs: [IndexJob]) -> Int {
        do {
            return try buildIndexes(jobs, cancellation: .none)
        } catch {
            preconditionFailure("only a cancellation stops an index build")
        }
    }

    /// Builds the given missing indexes on all cores, or none of them when `cancellation` stops
    /// the build: each build checks it as it sorts, so every core stops within a block.
    @discardableResult
    public mutating func buildIndexes(_ jobs: [IndexJob], cancellation: Cancellation) throws(Diagnostic) -> Int {
        if jobs.isEmpty { return 0 }
        let snapshot = self
        let built = UnsafeMutableBufferPointer<FieldIndex?>.allocate(capacity: jobs.count)
        built.initialize(repeating: nil)
        defer { built.deinitialize().deallocate() }
        // Largest first, so the cores finish together.
        let order = jobs.indices.sorted { snapshot[jobs[$0].entity].count > snapshot[jobs[$1].entity].count }
        nonisolated(unsafe) let slots = built
        DispatchQueue.concurrentPerform(iterations: order.count) { i in
            let job = jobs[order[i]]
            let collection = snapshot[job.entity]
            let field = collection.entity.fields[job.field]
            // A reference's key space is the target's ids handed out; `PostingIndex` keeps it
            // sparse when the ids present do not justify a dense table.
            var keys = 0
            if case .reference(let target) = field.type { keys = Int(snapshot[target].nextId) }
            // A cancelled build leaves its slot empty; the others stop at their next check.
            slots[order[i]] = try? FieldIndex.build(field, collection.columns[job.field], schema: snapshot.schema,
                                                     referenceKeys: keys, cancellation: cancellation)
        }
        try cancellation.check()
        for (i, job) in jobs.enumerated() {
            modify(job.entity) { $0.indexes[job.field] = built[i] }
        }
        MemoryTrim.releaseFreedMemory()
        return jobs.count
    }

    /// The data without its built indexes: for a copy that changes are applied to only to be
    /// judged (exit criteria, grants, rules), which would otherwise copy every index array the
    /// changes touch to keep it exact, then throw it away.
    public func droppingBuiltIndexes() -> Database {
        var copy = self
        for name in schema.entityNames where !copy[name].indexes.isEmpty { copy.modify(name) { $0.indexes.removeAll() } }
        return copy
    }

    /// Adds a field to the indexed set (`index opportunities.product`); built by `buildIndexes()`.
    public mutating func addIndex(entity: String, field: Int) {
        modify(entity) { $0.indexedFields.insert(field) }
    }

    public mutating func dropIndex(entity: String, field: Int) {
        modify(entity) {
            $0.indexedFields.remove(field)
            $0.indexes[field] = nil
        }
    }
}
