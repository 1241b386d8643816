/// A segment bound for one use: its name (for `explain`), its entity, and its whole condition
/// (the segments it narrows included), bound against today and the fiscal year as they are now.
public struct BoundSegment: Hashable, Sendable {
    public var name: String
    public var entity: String
    public var filter: BoundFilter
}

extension BoundFilter {
    /// Tests and connectives in the tree, the conditions of the segments it tests included.
    var size: Int {
        switch self {
        case .all, .none: return 1
        case .test(_, .inSegment(let s)): return 1 + s.filter.size
        case .test: return 1
        case .and(let parts), .or(let parts): return parts.reduce(1) { $0 + $1.size }
        case .not(let inner): return 1 + inner.size
        case .related(_, _, let inner): return 1 + inner.size
        case .scalar: return 1
        }
    }
}

/// Segments: a segment's name stands where its entity does (`find smb`, `count smb by industry`),
/// `account in smb` tests membership, and `define`, `drop` and `set fiscal year start` are checked
/// against the catalog. A segment's condition is stored as text and bound again at each use.
extension Binder {
    /// The most segments a definition may stack (`a as b`, `b as c`, ...), so expanding one is bounded.
    static let maximumSegmentDepth = 100

    /// The segment named `name`, in any case.
    func segment(named name: String) -> SegmentDefinition? {
        let key = name.lowercased()
        return segments.first { $0.name.lowercased() == key }
    }

    /// What a query names after `find`, `count` or `of`: an entity, or a segment with its condition.
    func resolveSource(_ name: Name) throws(Diagnostic) -> (EntityDef, BoundFilter) {
        if let e = schema.entity(named: name.text) { return (e, .all) }
        if let s = segment(named: name.text), let e = schema.entity(named: s.entity) {
            return (e, try segmentFilter(s, at: name.range))
        }
        if segments.isEmpty {
            throw Diagnostic(.binder, "unknown entity \"\(name.text)\"", at: name.range, hint: schema.entityHint(for: name.text))
        }
        let names = schema.entities.flatMap { [$0.name, $0.singular] } + segments.map(\.name)
        let hint = Suggestions.closest(to: name.text, in: names)
            .map { "did you mean \"\(schema.entity(named: $0)?.name ?? $0)\"?" }
            ?? "entities: \(schema.entityNames.joined(separator: ", ")); segments: \(segments.map(\.name).joined(separator: ", "))"
        throw Diagnostic(.binder, "unknown entity or segment \"\(name.text)\"", at: name.range, hint: hint)
    }

    /// `segment AND condition`, without a needless `and` when either is everything.
    static func narrowed(_ segment: BoundFilter, _ filter: BoundFilter) -> BoundFilter {
        if segment == .all { return filter }
        if filter == .all { return segment }
        return .and([segment, filter])
    }

    /// A segment's whole condition: the segment it narrows (if any), then its own, bound now.
    func segmentFilter(_ s: SegmentDefinition, at range: SourceRange) throws(Diagnostic) -> BoundFilter {
        let key = s.name.lowercased()
        if expandingSegments.contains(key) {
            throw Diagnostic(.binder, "segment \"\(s.name)\" refers to itself through \(expandingSegments.joined(separator: ", "))",
                             at: range, hint: "drop it and define it again")
        }
        if expandingSegments.count >= Binder.maximumSegmentDepth {
            throw Diagnostic(.binder, "segments nest too deeply (limit \(Binder.maximumSegmentDepth)): \(s.name) is built on \(expandingSegments.count) others",
                             at: range, hint: "define it on the entity with the conditions written out")
        }
        var inner = self
        inner.expandingSegments.append(key)
        guard let entity = schema.entity(named: s.entity) else {
            throw storedProblem(s, "its entity \"\(s.entity)\" is not in the schema", at: range)
        }
        var parts: [BoundFilter] = []
        if s.base.lowercased() != entity.name {
            guard let base = segment(named: s.base), base.entity == s.entity else {
                throw storedProblem(s, "the segment it narrows, \"\(s.base)\", is not defined", at: range)
            }
            parts.append(try inner.segmentFilter(base, at: range))
        }
        if let text = s.condition {
            do {
                let condition = try Parser.storedCondition(text, name: s.name)
                parts.append(try inner.bindCondition(condition, entity))
            } catch {
                // A nested segment's problem already names it and points at this use.
                if error.range == range { throw error }
                throw storedProblem(s, error.message, at: range)
            }
        }
        let filter = parts.reduce(BoundFilter.all) { Binder.narrowed($0, $1) }
        // Each use of a segment carries its whole condition: one that uses another twice, itself
        // used twice, ... doubles at each level. Refused before it outgrows what runs at once.
        if filter.size > Binder.maximumSegmentSize {
            throw Diagnostic(.binder, "segment \"\(s.name)\" expands to a condition of more than \(CellText.grouped(String(Binder.maximumSegmentSize))) tests",
                             at: range, hint: "each \"in SEGMENT\" carries that segment's whole condition; use each segment once")
        }
        return filter
    }

    /// The most tests a segment's condition may expand to, the segments it uses included.
    static let maximumSegmentSize = 50_000

    private func storedProblem(_ s: SegmentDefinition, _ what: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.binder, "segment \"\(s.name)\" cannot be used: \(what)", at: range,
                   hint: "its condition is: \(s.condition ?? "(none)"); drop segment \(s.name) and define it again")
    }

    func segmentNotEntity(_ s: SegmentDefinition, at range: SourceRange) -> Diagnostic {
        Diagnostic(.binder, "\"\(s.name)\" is a segment; here an entity is needed", at: range,
                   hint: "name its entity and test membership: \(s.entity) ... where id in \(s.name)")
    }

    // MARK: - Membership

    /// `account in smb`, `id not in smb`: the left side is a reference to the segment's entity, or
    /// an id of it. Bound as a test whose set is the segment's records, so it is evaluated once per
    /// statement, then mapped through the reference column.
    func bindMembership(_ left: Expr, _ name: Name, negated: Bool, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        guard let s = segment(named: name.text) else {
            if let e = schema.entity(named: name.text) {
                throw Diagnostic(.binder, "\"\(name.text)\" is an entity; \"in\" takes a segment or a list in parentheses",
                                 at: name.range, hint: "define a segment of \(e.name) first: define segment NAME as \(e.name) where ...")
            }
            let hint = Suggestions.didYouMean(name.text, in: segments.map(\.name) + schema.entityNames)
                ?? (segments.isEmpty ? "no segment is defined; define one with define segment NAME as ENTITY where ..."
                    : "segments: \(segments.map(\.name).joined(separator: ", ")) (.segments lists them)")
            throw Diagnostic(.binder, "unknown segment \"\(name.text)\"", at: name.range, hint: hint)
        }
        guard case .path(let path) = left else {
            throw Diagnostic(.binder, "\"in \(s.name)\" needs a reference on its left, such as account, or id", at: left.range,
                             hint: referenceHint(s, entity))
        }
        let p = try resolve(path, from: entity)
        let target: String
        if p.field.field == 0 {
            target = p.field.entity
        } else if case .reference(let t) = p.type {
            target = t
        } else {
            throw Diagnostic(.binder, "\"\(p.text)\" is \(article(p.type)) field; \"in \(s.name)\" needs a reference to \(s.entity) or an id",
                             at: path.range, hint: referenceHint(s, entity))
        }
        guard target == s.entity else {
            throw Diagnostic(.binder, "\"\(p.text)\" is \(p.field.field == 0 ? "an id of" : "a reference to") \(target), but \(s.name) is a segment of \(s.entity)",
                             at: path.range.union(name.range), hint: referenceHint(s, entity))
        }
        let test = BoundFilter.test(p, .inSegment(BoundSegment(name: s.name, entity: s.entity,
                                                               filter: try segmentFilter(s, at: name.range))))
        return negated ? .not(test) : test
    }

    /// The fields of `entity` that could stand left of `in SEGMENT`.
    private func referenceHint(_ s: SegmentDefinition, _ entity: EntityDef) -> String {
        var fits = entity.fields.filter { if case .reference(let t) = $0.type { return t == s.entity }; return false }.map(\.name)
        if entity.name == s.entity { fits.insert("id", at: 0) }
        return fits.isEmpty ? "\(s.name) holds \(s.entity); no field of \(entity.name) refers to \(s.entity) directly (follow a path, such as account.owner)"
            : "\(s.name) holds \(s.entity): use \(fits.joined(separator: " or ")) in \(s.name)"
    }

    // MARK: - Catalog statements

    func bindCatalog(_ statement: CatalogStatement) throws(Diagnostic) -> CatalogChange {
        switch statement {
        case .defineSegment(let name, let base, let condition, let text):
            return .defineSegment(try bindDefinition(name, base, condition, text))
        case .dropSegment(let name):
            guard let s = segment(named: name.text) else {
                throw Diagnostic(.binder, "unknown segment \"\(name.text)\"", at: name.range,
                                 hint: Suggestions.didYouMean(name.text, in: segments.map(\.name))
                                     ?? (segments.isEmpty ? "no segment is defined" : "segments: \(segments.map(\.name).joined(separator: ", "))"))
            }
            let users = segments.filter { $0.depends(on: s.name) }
            if let user = users.first {
                let all = users.map { "\"\($0.name)\"" }.joined(separator: ", ")
                throw Diagnostic(.binder, "cannot drop segment \"\(s.name)\": segment \(all) \(users.count == 1 ? "uses" : "use") it",
                                 at: name.range, hint: "drop segment \(user.name) first")
            }
            return .dropSegment(name: s.name)
        case .fiscalYearStart(let month):
            guard let m = FiscalCalendar.month(named: month.text) else {
                let names = FiscalCalendar.monthNames.map { $0.lowercased() }
                throw Diagnostic(.binder, "\"\(month.text)\" is not a month", at: month.range,
                                 hint: Suggestions.didYouMean(month.text, in: names) ?? "name a month (april) or give its number (4)")
            }
            return .fiscalYearStart(month: m)
        case .pipeline(let p):
            return .pipeline(try bindPipeline(p))
        case .field(let f):
            return .schema(try bindField(f))
        case .grant(let g):
            return .grant(try bindGrant(g))
        }
    }

    private func bindDefinition(_ name: Name, _ baseName: Name, _ condition: Condition?, _ text: String?) throws(Diagnostic) -> SegmentDefinition {
        if let e = schema.entity(named: name.text) {
            throw Diagnostic(.binder, "\"\(name.text)\" is the name of an entity (\(e.name))", at: name.range,
                             hint: "give the segment a name of its own, such as small_\(e.name)")
        }
        if let existing = segment(named: name.text) {
            throw Diagnostic(.binder, "segment \"\(existing.name)\" is already defined (as \(describe(existing)))", at: name.range,
                             hint: "drop segment \(existing.name) first, or choose another name")
        }
        guard SegmentDefinition.isValidName(name.text) else {
            throw Diagnostic(.binder, "a segment's name is at most 200 characters", at: name.range)
        }
        let (entity, base) = try resolveSource(baseName)
        let baseText = segment(named: baseName.text)?.name ?? entity.name
        var uses: [String] = []
        var size = base.size
        if let condition {
            let bound = try bindCondition(condition, entity)
            collectSegments(bound, into: &uses)
            segmentsNamedAsCollections(in: condition, into: &uses)
            size += bound.size
        }
        if size > Binder.maximumSegmentSize {
            throw Diagnostic(.binder, "segment \"\(name.text)\" would expand to a condition of more than \(CellText.grouped(String(Binder.maximumSegmentSize))) tests",
                             at: name.range, hint: "each \"in SEGMENT\" carries that segment's whole condition; use each segment once")
        }
        return SegmentDefinition(name: name.text, base: baseText, entity: entity.name, condition: text, uses: uses)
    }

    /// The segments a bound condition tests membership in, each once, not looking inside them.
    private func collectSegments(_ f: BoundFilter, into out: inout [String]) {
        switch f {
        case .test(_, .inSegment(let s)):
            if !out.contains(s.name) { out.append(s.name) }
        case .and(let parts), .or(let parts):
            for p in parts { collectSegments(p, into: &out) }
        case .not(let inner):
            collectSegments(inner, into: &out)
        default:
            break
        }
    }

    /// `accounts where employees < 20`, `smb where country = "Norway"`.
    func describe(_ s: SegmentDefinition) -> String {
        s.base + (s.condition.map { " where " + $0 } ?? "")
    }
}
