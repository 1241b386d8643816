@testable import CrmqEngine

// Random `any`/`no`/`all` over child collections, in crmq and as EXISTS / NOT EXISTS in SQL:
//   any C (c)  ->  EXISTS (SELECT 1 FROM child r WHERE r.ref = PARENT AND c)
//   no C (c)   ->  NOT EXISTS (... AND c)
//   all C (c)  ->  NOT EXISTS (... AND NOT c)   (every SQL leaf is 0 or 1, so NOT c keeps the nulls as crmq does)
// PARENT is the row's own id, or the id reached through a dot path (null through an empty or dangling
// reference, which no child matches).

extension QueryGenerator {
    /// A child collection as reached from an entity: the path written, the reference followed to
    /// the parent (nil: the entity itself), the child entity and its reference to the parent.
    struct Collection {
        var path: String
        var through: String?
        var child: String
        var reference: String
    }

    static let collections: [String: [Collection]] = [
        "accounts": [
            Collection(path: "opportunities", through: nil, child: "opportunities", reference: "account"),
            Collection(path: "contacts", through: nil, child: "contacts", reference: "account"),
            Collection(path: "activities", through: nil, child: "activities", reference: "account"),
            Collection(path: "cases", through: nil, child: "cases", reference: "account"),
        ],
        "opportunities": [
            Collection(path: "activities", through: nil, child: "activities", reference: "opportunity"),
            Collection(path: "stage_changes", through: nil, child: "stage_changes", reference: "opportunity"),
            Collection(path: "account.contacts", through: "account", child: "contacts", reference: "account"),
            Collection(path: "account.opportunities", through: "account", child: "opportunities", reference: "account"),
            Collection(path: "owner.accounts", through: "owner", child: "accounts", reference: "owner"),
        ],
        "contacts": [
            Collection(path: "opportunities", through: nil, child: "opportunities", reference: "contact"),
            Collection(path: "activities", through: nil, child: "activities", reference: "contact"),
            Collection(path: "cases", through: nil, child: "cases", reference: "contact"),
            Collection(path: "account.opportunities", through: "account", child: "opportunities", reference: "account"),
            Collection(path: "account.cases", through: "account", child: "cases", reference: "account"),
        ],
        "activities": [
            Collection(path: "opportunity.stage_changes", through: "opportunity", child: "stage_changes", reference: "opportunity"),
            Collection(path: "opportunity.activities", through: "opportunity", child: "activities", reference: "opportunity"),
            Collection(path: "account.opportunities", through: "account", child: "opportunities", reference: "account"),
            Collection(path: "owner.leads", through: "owner", child: "leads", reference: "owner"),
        ],
        "leads": [
            Collection(path: "campaign.opportunities", through: "campaign", child: "opportunities", reference: "campaign"),
            Collection(path: "owner.opportunities", through: "owner", child: "opportunities", reference: "owner"),
            Collection(path: "converted_contact.cases", through: "converted_contact", child: "cases", reference: "contact"),
        ],
    ]

    /// `any`/`no`/`all` over one of the entity's child collections, with a random condition on the
    /// child (which may hold another one).
    mutating func related(_ entity: String) -> DiffCondition {
        let c = rng.pick(Self.collections[entity]!)
        let parent = c.through.map { fx.path("\($0).id", from: entity, alias: alias).sql } ?? "\(alias).id"
        let outer = alias
        nesting += 1
        alias = "r" + String(UnicodeScalar(UInt8(96 + nesting)))
        let inner = alias
        let quantifier = rng.pick(["any", "no", "all"])
        let bare = quantifier != "all" && rng.chance(0.15)
        let (cc, cs) = bare ? ("", "1") : condition(c.child, depth: rng.int(in: 0...2)).render(&rng, keywordCase: false)
        alias = outer
        nesting -= 1
        let exists = "EXISTS (SELECT 1 FROM \(SQLText.ident(c.child)) \(inner) WHERE \(inner).\(SQLText.ident(c.reference)) = \(parent)"
        let crmq = "\(quantifier) \(c.path)" + (bare ? "" : " (\(cc))")
        switch quantifier {
        case "any": return .leaf(crmq: crmq, sql: "\(exists) AND (\(cs)))")
        case "no": return .leaf(crmq: crmq, sql: "(NOT \(exists) AND (\(cs))))")
        default: return .leaf(crmq: crmq, sql: "(NOT \(exists) AND NOT (\(cs))))")
        }
    }

    /// A `find` whose condition is most often about related records, on an entity with child collections.
    mutating func relatedFind() -> Query {
        let e = rng.pick(["accounts", "accounts", "opportunities", "contacts", "activities", "leads"])
        let saved = relatedChance
        relatedChance = 0.6
        let cond = rng.chance(0.5) ? related(e) : condition(e, depth: rng.int(in: 1...3))
        relatedChance = saved
        let (c, s) = cond.render(&rng, keywordCase: true)
        return Query(crmq: "find \(e) where \(c) show id", sql: "SELECT t.id FROM \(SQLText.ident(e)) t WHERE \(s) ORDER BY t.id",
                     ordered: false, column: "id")
    }

    /// `count E where ... by ...` with related-record conditions.
    mutating func relatedCount() -> Query {
        let e = rng.pick(["accounts", "contacts", "opportunities"])
        let saved = relatedChance
        relatedChance = 0.6
        let (c, s) = related(e).render(&rng, keywordCase: false)
        relatedChance = saved
        let group = e == "accounts" ? "country" : e == "contacts" ? "role" : "stage"
        let key = e == "opportunities" ? fx.enumRank("t.stage", "stage") : e == "contacts" ? fx.enumRank("t.role", "contact_role") : "\(fx.fold("t.country")), t.country"
        return Query(crmq: "count \(e) where \(c) by \(group)",
                     sql: "SELECT COALESCE(t.\(group), ''), COUNT(*) FROM \(SQLText.ident(e)) t WHERE \(s) GROUP BY t.\(group) ORDER BY t.\(group) IS NULL, \(key)",
                     ordered: true, column: nil)
    }
}
