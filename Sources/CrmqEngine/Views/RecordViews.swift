/// What the 360° views show, as plain crmq statements: `show account`, `show contact`,
/// `show opportunity` and `show lead`. The record's own section runs first; the others may use
/// what it found (an account's name finds the leads from that company).
enum RecordViews {
    /// How many rows a list shows before "and N more": a view fits one screen.
    static let shortList = 5
    static let activityList = 10

    /// The record's own section: its fields, the references followed to their names.
    static func record(_ entity: String, id: Int64) -> ViewSection {
        let columns: String
        switch entity {
        case "accounts":
            columns = "name, industry, country, city, employees, annual_revenue, owner.name as owner, "
                + "owner.email as owner_email, created_at"
        case "contacts":
            columns = "first_name, last_name, title, role, email, phone, account.name as account, "
                + "account.owner.name as account_owner, city, country, created_at"
        case "opportunities":
            columns = "name, account.name as account, contact.first_name as contact_first_name, "
                + "contact.last_name as contact_last_name, owner.name as owner, pipeline, stage, probability, value, "
                + "close_date, created_at, lead_source, type, product, campaign.name as campaign"
        default:
            columns = "first_name, last_name, company, email, source, status, score, owner.name as owner, "
                + "campaign.name as campaign, created_at, converted_at"
        }
        let singular = entity == "opportunities" ? "opportunity" : String(entity.dropLast())
        return ViewSection(key: singular, title: singular, shape: .record,
                           statements: ["find \(entity) where id = \(id) show id, \(columns)"])
    }

    /// The sections after the record's; `fields` are the record's values by column name.
    static func sections(_ entity: String, id: Int64, fields: [String: Value], schema: Schema) -> [ViewSection] {
        let stages = StageSets(schema)
        switch entity {
        case "accounts":
            let name = fields["name"]?.plainText ?? ""
            let leads = "company = \(CrmqText.quoted(name)) or converted_contact.account = \(id)"
            return [
                list("contacts", "contacts", entity: "contacts", where: "account = \(id)",
                     show: "id, first_name, last_name, title, role, email", order: "role, last_name, id"),
                openDeals(where: "account = \(id)", stages),
                outcome(where: "account = \(id)", stages),
            ] + activities(where: "account = \(id)") + [
                list("open_cases", "open cases", entity: "cases", where: "account = \(id) and status != \"closed\"",
                     show: "id, subject, status, priority, opened_at, contact.last_name as contact",
                     order: "priority desc, opened_at, id"),
                list("campaigns", "campaigns its leads and deals came from", entity: "campaigns",
                     where: "any leads (\(leads)) or any opportunities (account = \(id))",
                     show: "id, name, channel, count(leads where \(leads)) as leads, "
                         + "count(opportunities where account = \(id)) as deals",
                     order: "start_date desc, id"),
            ]
        case "contacts":
            return [
                openDeals(where: "contact = \(id)", stages),
                outcome(where: "contact = \(id)", stages),
            ] + activities(where: "contact = \(id)") + [
                list("open_cases", "open cases", entity: "cases", where: "contact = \(id) and status != \"closed\"",
                     show: "id, subject, status, priority, opened_at", order: "priority desc, opened_at, id"),
                list("converted_from", "converted from", entity: "leads", where: "converted_contact = \(id)",
                     show: "id, first_name, last_name, company, source, campaign.name as campaign, converted_at",
                     order: "converted_at, id"),
            ]
        case "opportunities":
            return [
                ViewSection(key: "stage_history", title: "stage history", shape: .timeline, statements: [
                    "count stage_changes where opportunity = \(id)",
                    "find stage_changes where opportunity = \(id) show changed_at, from_stage, to_stage, "
                        + "changed_by.name as changed_by order by changed_at, id limit \(timelineList)",
                ]),
            ] + activities(where: "opportunity = \(id)") + [
                list("from_lead", "from lead", entity: "leads", where: "converted_opportunity = \(id)",
                     show: "id, first_name, last_name, company, source, converted_at", order: "converted_at, id"),
            ]
        default:
            var out: [ViewSection] = []
            if fields["converted_at"].map({ !$0.isNull }) ?? false {
                out.append(ViewSection(key: "conversion", title: "converted", shape: .record, statements: [
                    "find leads where id = \(id) show converted_at, converted_contact as contact_id, "
                        + "converted_contact.first_name as contact_first_name, converted_contact.last_name as contact_last_name, "
                        + "converted_contact.account as account_id, converted_contact.account.name as account, "
                        + "converted_opportunity as opportunity_id, converted_opportunity.name as opportunity, "
                        + "converted_opportunity.stage as stage, converted_opportunity.value as value",
                ]))
            } else if let company = fields["company"], !company.isNull {
                out.append(list("matching_accounts", "accounts with its company's name",
                                entity: "accounts", where: "name = \(CrmqText.quoted(company.plainText))",
                                show: "id, name, city, owner.name as owner", order: "id"))
            }
            return out + activities(where: "lead = \(id)")
        }
    }

    static let timelineList = 20

    private static func list(_ key: String, _ title: String, entity: String, where condition: String, show: String,
                             order: String, limit: Int = shortList) -> ViewSection {
        ViewSection(key: key, title: title, shape: .list, statements: [
            "count \(entity) where \(condition)",
            "find \(entity) where \(condition) show \(show) order by \(order) limit \(limit)",
        ])
    }

    private static func openDeals(where condition: String, _ stages: StageSets) -> ViewSection {
        list("open_deals", "open deals", entity: "opportunities",
             where: "\(condition) and stage not in \(CrmqText.list(stages.closed))",
             show: "id, name, stage, value, close_date, owner.name as owner", order: "close_date, id")
    }

    private static func outcome(where condition: String, _ stages: StageSets) -> ViewSection {
        ViewSection(key: "won_and_lost", title: "won and lost", shape: .outcome, statements: [
            "count, sum value of opportunities where \(condition) and stage in \(CrmqText.list(stages.won))",
            "count, sum value of opportunities where \(condition) and stage in \(CrmqText.list(stages.lost))",
        ])
    }

    private static func activities(where condition: String) -> [ViewSection] {
        [list("last_activities", "last activities", entity: "activities", where: "\(condition) and done = true",
              show: "due_at, type, subject, owner.name as owner", order: "due_at desc, id desc", limit: activityList),
         list("open_activities", "next open activities", entity: "activities", where: "\(condition) and done = false",
              show: "due_at, type, subject, owner.name as owner", order: "due_at, id")]
    }
}

/// The stage names that end deals, over every pipeline: won, lost, and both.
struct StageSets: Sendable {
    var won: [String] = []
    var lost: [String] = []
    var closed: [String] { won + lost }

    init(_ schema: Schema) {
        for stage in schema.pipelines.flatMap(\.stages) where stage.isClosed {
            if stage.isWon {
                if !won.contains(stage.name) { won.append(stage.name) }
            } else if !lost.contains(stage.name) {
                lost.append(stage.name)
            }
        }
    }
}
