extension Schema {
    /// The standard CRM objects every crmq database starts with.
    public static let standard = Schema(
        entities: [
            EntityDef(name: "users", singular: "user", fields: [
                FieldDef("name", .text, "full name", indexed: true),
                FieldDef("email", .text, indexed: true),
                FieldDef("role", .enumeration("user_role"), "what the user may see and change"),
                FieldDef("team", .text),
            ], defaultColumns: ["id", "name", "email", "role", "team"], titleField: "name"),

            EntityDef(name: "accounts", singular: "account", fields: [
                FieldDef("name", .text, "the company or organisation", indexed: true),
                FieldDef("industry", .text, indexed: true),
                FieldDef("country", .text, indexed: true),
                FieldDef("city", .text, indexed: true),
                FieldDef("employees", .int),
                FieldDef("annual_revenue", .money),
                FieldDef("owner", .reference("users"), "the account manager"),
                FieldDef("created_at", .datetime),
            ], defaultColumns: ["id", "name", "industry", "country", "city", "employees", "owner.name"],
            titleField: "name"),

            EntityDef(name: "contacts", singular: "contact", fields: [
                FieldDef("first_name", .text, indexed: true),
                FieldDef("last_name", .text, indexed: true),
                FieldDef("email", .text, indexed: true),
                FieldDef("phone", .text),
                FieldDef("title", .text, "job title", indexed: true),
                FieldDef("role", .enumeration("contact_role"), "the part the person plays in buying"),
                FieldDef("account", .reference("accounts"), "the company the person works for, if any"),
                FieldDef("city", .text),
                FieldDef("country", .text, indexed: true),
                FieldDef("created_at", .datetime),
            ], defaultColumns: ["id", "first_name", "last_name", "title", "email", "account.name"],
            titleField: "last_name"),

            EntityDef(name: "leads", singular: "lead", fields: [
                FieldDef("first_name", .text),
                FieldDef("last_name", .text, indexed: true),
                FieldDef("company", .text, indexed: true),
                FieldDef("email", .text, indexed: true),
                FieldDef("source", .enumeration("lead_source"), "where the lead came from"),
                FieldDef("status", .enumeration("lead_status")),
                FieldDef("score", .int, "0 to 100: how promising the lead is"),
                FieldDef("owner", .reference("users")),
                FieldDef("campaign", .reference("campaigns")),
                FieldDef("created_at", .datetime),
                FieldDef("converted_at", .datetime, "when the lead became a contact"),
                FieldDef("converted_contact", .reference("contacts")),
                FieldDef("converted_opportunity", .reference("opportunities")),
            ], defaultColumns: ["id", "first_name", "last_name", "company", "source", "status", "score"],
            titleField: "last_name"),

            EntityDef(name: "opportunities", singular: "opportunity", fields: [
                FieldDef("name", .text),
                FieldDef("account", .reference("accounts")),
                FieldDef("contact", .reference("contacts"), "the main contact on the deal"),
                FieldDef("owner", .reference("users"), "the sales rep"),
                FieldDef("stage", .enumeration("stage"), "where the deal stands in the pipeline"),
                FieldDef("probability", .percent, "chance of winning, from the stage"),
                FieldDef("value", .money, "the deal's amount"),
                FieldDef("close_date", .date, "expected or actual close"),
                FieldDef("created_at", .datetime),
                FieldDef("lead_source", .enumeration("lead_source")),
                FieldDef("type", .enumeration("opportunity_type")),
                FieldDef("product", .text),
                FieldDef("campaign", .reference("campaigns")),
            ], defaultColumns: ["id", "name", "account.name", "stage", "value", "close_date", "owner.name"],
            titleField: "name"),

            EntityDef(name: "stage_changes", singular: "stage_change", fields: [
                FieldDef("opportunity", .reference("opportunities")),
                FieldDef("from_stage", .enumeration("stage"), "empty for the first stage"),
                FieldDef("to_stage", .enumeration("stage")),
                FieldDef("changed_at", .datetime),
                FieldDef("changed_by", .reference("users")),
            ], defaultColumns: ["id", "opportunity", "from_stage", "to_stage", "changed_at", "changed_by.name"],
            titleField: "to_stage"),

            EntityDef(name: "activities", singular: "activity", fields: [
                FieldDef("type", .enumeration("activity_type")),
                FieldDef("subject", .text),
                FieldDef("owner", .reference("users")),
                FieldDef("account", .reference("accounts")),
                FieldDef("contact", .reference("contacts")),
                FieldDef("opportunity", .reference("opportunities")),
                FieldDef("lead", .reference("leads")),
                FieldDef("due_at", .datetime),
                FieldDef("done", .bool),
                FieldDef("created_at", .datetime),
            ], defaultColumns: ["id", "type", "subject", "owner.name", "due_at", "done"],
            titleField: "subject"),

            EntityDef(name: "campaigns", singular: "campaign", fields: [
                FieldDef("name", .text, indexed: true),
                FieldDef("channel", .enumeration("channel")),
                FieldDef("start_date", .date),
                FieldDef("end_date", .date),
                FieldDef("budget", .money),
            ], defaultColumns: ["id", "name", "channel", "start_date", "end_date", "budget"],
            titleField: "name"),

            EntityDef(name: "cases", singular: "case", fields: [
                FieldDef("subject", .text),
                FieldDef("account", .reference("accounts")),
                FieldDef("contact", .reference("contacts")),
                FieldDef("status", .enumeration("case_status")),
                FieldDef("priority", .enumeration("case_priority")),
                FieldDef("opened_at", .datetime),
                FieldDef("closed_at", .datetime),
            ], defaultColumns: ["id", "subject", "account.name", "status", "priority", "opened_at"],
            titleField: "subject"),
        ],
        enums: [
            "stage": Pipeline.standard.stages.map(\.name),
            "user_role": ["admin", "manager", "sales", "support"],
            "contact_role": ["decision maker", "buyer", "influencer", "user"],
            "lead_source": ["web form", "referral", "event", "partner", "cold call", "ad", "campaign"],
            "lead_status": ["new", "working", "qualified", "unqualified", "converted"],
            "opportunity_type": ["new business", "existing customer"],
            "activity_type": ["call", "email", "meeting", "task"],
            "channel": ["email", "social", "ads", "event", "webinar", "partner"],
            "case_status": ["new", "open", "pending", "closed"],
            "case_priority": ["low", "medium", "high", "urgent"],
        ],
        pipelines: [.standard]
    )
}
