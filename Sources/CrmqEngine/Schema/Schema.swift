/// The entities, their fields, the enum value lists and the pipelines: data, not Swift types,
/// so that custom fields and pipelines are rows added here, not code.
public struct Schema: Sendable {
    public var entities: [EntityDef]
    /// Each enum's values, in their meaningful order (the pipeline's order for stages).
    public var enums: [String: [String]]
    public var pipelines: [Pipeline]

    public init(entities: [EntityDef], enums: [String: [String]], pipelines: [Pipeline]) {
        self.entities = entities
        self.enums = enums
        self.pipelines = pipelines
    }

    public var entityNames: [String] { entities.map(\.name) }

    /// Finds an entity by its plural or singular name, case-insensitively.
    public func entity(named name: String) -> EntityDef? {
        let n = name.lowercased()
        return entities.first { $0.name == n || $0.singular == n }
    }

    public func enumValues(_ name: String) -> [String] { enums[name] ?? [] }

    /// The hint for an unknown entity name: the closest plural or singular name as it is spelled
    /// (`show acount 1` wants "account", `find acounts` "accounts"), or the list.
    public func entityHint(for name: String) -> String {
        Suggestions.closest(to: name, in: entities.flatMap { [$0.name, $0.singular] })
            .map { "did you mean \"\($0)\"?" }
            ?? "entities: \(entityNames.joined(separator: ", "))"
    }

    public var defaultPipeline: Pipeline { pipelines.first ?? .standard }

    /// Every (entity, field) that refers to `target`: what reverse indexes and child filters walk.
    public func references(to target: String) -> [(entity: String, field: String)] {
        entities.flatMap { e in
            e.fields.compactMap { f in
                if case .reference(let t) = f.type, t == target { return (e.name, f.name) }
                return nil
            }
        }
    }
}
