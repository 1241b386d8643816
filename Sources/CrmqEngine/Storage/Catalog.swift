/// What a data file keeps besides its records: the segments users defined and the settings that
/// change what queries mean (the fiscal year's first month). Changed by statements (`define
/// segment`, `drop segment`, `set fiscal year start`), journaled and rolled back as record changes
/// are, and saved in the snapshot.
public struct Catalog: Hashable, Sendable {
    /// In the order they were defined: a segment on a segment comes after the one it narrows.
    public private(set) var segments: [SegmentDefinition] = []
    /// The calendar month (1-12) a fiscal year starts in; 1 makes fiscal periods calendar periods.
    public private(set) var fiscalYearStartMonth = 1
    /// The `grant` and `revoke` statements run, in order, over the standard grants (Permissions/Grants.swift).
    public private(set) var grantChanges: [GrantChange] = []
    /// Workflow rules, in the order they were defined, which is the order they act in (RuleChange.swift).
    public internal(set) var rules: [RuleDefinition] = []

    public init() {}

    /// Nothing defined and every setting at its default: a file like this is written in format 1.

    /// The grants in force for `schema`: the standard ones with `grantChanges` applied.
    public func grants(_ schema: Schema) -> Grants { Grants(schema: schema, changes: grantChanges) }
    public var isDefault: Bool { segments.isEmpty && fiscalYearStartMonth == 1 && grantChanges.isEmpty && rules.isEmpty }

    /// The segment named `name` in any case.
    public func segment(named name: String) -> SegmentDefinition? {
        let key = name.lowercased()
        return segments.first { $0.name.lowercased() == key }
    }

    /// The segments built on `name` (`define segment nordic_smb as smb ...`), or that test
    /// membership in it in their condition (`... where account in smb`).
    public func users(of name: String) -> [SegmentDefinition] {
        segments.filter { $0.depends(on: name) }
    }

    /// Why `change` cannot be made, or nil. Statements check this (with better words) in the binder;
    /// this guards replaying a journal.
    public func problem(_ change: CatalogChange, schema: Schema) -> String? {
        switch change {
        case .defineSegment(let s):
            guard SegmentDefinition.isValidName(s.name) else { return "segment name \"\(s.name)\" is not a name" }
            if segment(named: s.name) != nil { return "segment \"\(s.name)\" is defined twice" }
            if schema.entity(named: s.name) != nil { return "segment \"\(s.name)\" has the name of an entity" }
            guard let entity = schema.entity(named: s.entity), entity.name == s.entity else {
                return "segment \"\(s.name)\" is on an unknown entity \"\(s.entity)\""
            }
            if s.base != s.entity {
                guard let base = segment(named: s.base), base.entity == s.entity else {
                    return "segment \"\(s.name)\" narrows \"\(s.base)\", which is not a segment of \(s.entity)"
                }
            }
            for used in s.uses where segment(named: used) == nil {
                return "segment \"\(s.name)\" uses segment \"\(used)\", which is not defined"
            }
            return nil
        case .dropSegment(let name):
            guard segment(named: name) != nil else { return "segment \"\(name)\" is dropped but not defined" }
            if let user = users(of: name).first { return "segment \"\(name)\" is dropped while \"\(user.name)\" uses it" }
            return nil
        case .fiscalYearStart(let month):
            return (1...12).contains(month) ? nil : "the fiscal year cannot start in month \(month)"
        case .pipeline(let p):
            return p.problem(in: schema)
        case .schema(let s):
            return s.problem(in: schema)
        case .grant(let g):
            return grants(schema).problem(g)
        case .rule(let r):
            return problem(r, schema: schema)
        }
    }

    /// Makes a change that `problem(_:schema:)` accepted.
    public mutating func apply(_ change: CatalogChange) {
        switch change {
        case .defineSegment(let s):
            segments.append(s)
        case .dropSegment(let name):
            let key = name.lowercased()
            segments.removeAll { $0.name.lowercased() == key }
        case .fiscalYearStart(let month):
            fiscalYearStartMonth = month
        case .grant(let g):
            grantChanges.append(g)
        case .rule(let r):
            apply(r)
        case .pipeline, .schema:
            // The pipelines and fields are part of the schema: `Database.apply` changes them and re-codes stages.
            break
        }
    }
}

/// A named, stored condition on an entity: `define segment smb as accounts where employees < 20`.
/// The condition is kept as source text and bound again at each use, so relative dates stay
/// relative and the definition means the same to any backend.
public struct SegmentDefinition: Hashable, Sendable {
    public var name: String
    /// What it narrows, as its name is kept: the entity (`accounts`) or another segment (`smb`).
    public var base: String
    /// The entity its records are (the base's entity, for a segment on a segment).
    public var entity: String
    /// The condition after `where`, in a canonical spelling (tokens one space apart, comments
    /// dropped); nil for a segment of every record of its base.
    public var condition: String?
    /// The segments its condition tests membership in (`account in smb`): a segment in use cannot
    /// be dropped.
    public var uses: [String]

    public init(name: String, base: String, entity: String, condition: String?, uses: [String] = []) {
        self.name = name
        self.base = base
        self.entity = entity
        self.condition = condition
        self.uses = uses
    }

    /// Whether it narrows the segment `name` or tests membership in it: then that one cannot be dropped.
    public func depends(on name: String) -> Bool {
        let key = name.lowercased()
        return self.name.lowercased() != key && (base.lowercased() == key || uses.contains { $0.lowercased() == key })
    }

    /// A name as the lexer reads one (an ASCII letter or `_`, then letters, digits and `_`), not a
    /// keyword, at most 200 bytes.
    static func isValidName(_ s: String) -> Bool {
        func letter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "_") }
        guard let first = s.utf8.first, letter(first), s.utf8.count <= 200 else { return false }
        return s.utf8.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) } && Keyword.byName[s.lowercased()] == nil
    }
}

/// One change to the catalog, as the journal records it.
public enum CatalogChange: Hashable, Sendable {
    case defineSegment(SegmentDefinition)
    case dropSegment(name: String)
    case fiscalYearStart(month: Int)
    /// A pipeline defined, altered or dropped, or a stage's exit criteria set (PipelineChange.swift).
    case pipeline(PipelineChange)
    /// A field added, renamed or dropped (SchemaChange.swift).
    case schema(SchemaChange)
    /// `grant ...` or `revoke ...` (Permissions/Grant.swift).
    case grant(GrantChange)
    /// A workflow rule defined, dropped, enabled or disabled, or a time rule's records noted (RuleChange.swift).
    case rule(RuleChange)
}
