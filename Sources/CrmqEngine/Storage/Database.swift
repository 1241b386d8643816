/// The whole data set in memory: the schema and one collection per entity.
public struct Database: Sendable {
    public var schema: Schema
    public private(set) var collections: [String: Collection]
    /// The segments and settings kept with the data (see `Catalog`).
    public var catalog = Catalog()

    public init(schema: Schema) {
        self.schema = schema
        var c: [String: Collection] = [:]
        for e in schema.entities { c[e.name] = Collection(entity: e) }
        self.collections = c
    }

    public subscript(entity: String) -> Collection {
        get { collections[entity]! }
        set { collections[entity] = newValue }
    }

    /// Runs `body` on the collection in place, without copying its columns.
    public mutating func modify<R>(_ entity: String, _ body: (inout Collection) -> R) -> R {
        var c = collections.removeValue(forKey: entity)!
        defer { collections[entity] = c }
        return body(&c)
    }
}
