import Foundation
@testable import CrmqEngine

/// A hand-made database small enough that every expected answer can be worked out by hand.
/// Today is 2026-06-15 (a Monday) in tests that use it.
enum TinyCRM {
    static let today = Day.from(year: 2026, month: 6, day: 15)

    static func build() -> Database {
        var db = Database(schema: .standard)
        func day(_ s: String) -> StoredValue { .integer(Day.parse(s)!) }
        func time(_ s: String) -> StoredValue { .integer(Day.parseDateTime(s)!) }
        func money(_ cents: Int64) -> StoredValue { .integer(cents) }
        func code(_ enumName: String, _ value: String) -> StoredValue {
            .integer(Int64(db.schema.enumValues(enumName).firstIndex(of: value)!))
        }
        func insert(_ entity: String, _ id: Int64, _ values: [String: StoredValue]) {
            let fields = db.schema.entity(named: entity)!.fields.dropFirst()
            let row: [StoredValue] = fields.map { values[$0.name] ?? .null }
            db.modify(entity) { $0.append(id: id, row) }
        }
        insert("users", 1, ["name": .text("Anna Berg"), "email": .text("anna@crmq.example"), "role": code("user_role", "sales"), "team": .text("Nordics")])
        insert("users", 2, ["name": .text("Ben Smith"), "email": .text("ben@crmq.example"), "role": code("user_role", "manager"), "team": .text("DACH")])
        insert("users", 3, ["name": .text("Carla Puig"), "email": .text("carla@crmq.example"), "role": code("user_role", "sales"), "team": .text("Iberia")])

        insert("accounts", 1, ["name": .text("Acme Retail AS"), "industry": .text("Retail"), "country": .text("Norway"), "city": .text("Oslo"), "employees": .integer(120), "annual_revenue": money(1_500_000_00), "owner": .integer(1), "created_at": time("2024-01-10T09:00:00")])
        insert("accounts", 2, ["name": .text("Bergmann GmbH"), "industry": .text("Manufacturing"), "country": .text("Germany"), "city": .text("Berlin"), "employees": .integer(800), "annual_revenue": money(90_000_000_00), "owner": .integer(2), "created_at": time("2023-05-02T10:30:00")])
        insert("accounts", 3, ["name": .text("Serra SL"), "industry": .text("retail"), "country": .text("Spain"), "city": .text("Barcelona"), "employees": .integer(15), "owner": .integer(3), "created_at": time("2025-11-20T14:00:00")])

        insert("contacts", 1, ["first_name": .text("Kari"), "last_name": .text("Nordmann"), "email": .text("kari@acme.no"), "title": .text("CEO"), "role": code("contact_role", "decision maker"), "account": .integer(1), "country": .text("Norway")])
        insert("contacts", 2, ["first_name": .text("Ola"), "last_name": .text("Hansen"), "email": .text("ola.hansen@gmail.com"), "title": .text("Sales Intern"), "role": code("contact_role", "user"), "account": .integer(1), "country": .text("Norway")])
        insert("contacts", 3, ["first_name": .text("Hans"), "last_name": .text("Müller"), "email": .text("hans@bergmann.de"), "title": .text("Einkaufsleiter"), "role": code("contact_role", "buyer"), "account": .integer(2), "country": .text("Germany")])
        insert("contacts", 4, ["first_name": .text("Núria"), "last_name": .text("Serra"), "email": .text("nuria@serra.cat"), "role": code("contact_role", "influencer"), "account": .integer(3), "country": .text("Spain")])
        insert("contacts", 5, ["first_name": .text("Lone"), "last_name": .text("Smith"), "email": .text("lone.smith@gmail.com"), "title": .text("Consultant")])

        let opps: [(String, Int64, Int64, String, Int64, String, String?)] = [
            ("Acme – CRM Enterprise", 1, 1, "Negotiation", 25_000_00, "2026-07-01", "web form"),
            ("Acme – Support Plus", 1, 1, "Proposal", 8_000_00, "2026-06-20", "referral"),
            ("Bergmann – Analytics", 2, 2, "Closed Won", 12_000_50, "2026-02-10", "event"),
            ("Serra – CRM Starter", 3, 3, "Closed Won", 5_000_50, "2026-03-31", "web form"),
            ("Serra – Onboarding", 3, 3, "Closed Lost", 3_000_00, "2026-01-15", "web form"),
            ("Bergmann – Expansion", 2, 2, "Negotiation", 40_000_00, "2026-09-30", nil),
        ]
        for (i, o) in opps.enumerated() {
            let stage = Pipeline.standard.stage(named: o.3)!
            insert("opportunities", Int64(i + 1), [
                "name": .text(o.0), "account": .integer(o.1), "owner": .integer(o.2),
                "contact": .integer(o.1 == 1 ? 1 : o.1 == 2 ? 3 : 4),
                "stage": code("stage", o.3), "probability": .integer(Int64(stage.probability) * 100),
                "value": money(o.4), "close_date": day(o.5), "created_at": time("2026-01-05T08:00:00"),
                "lead_source": o.6.map { code("lead_source", $0) } ?? .null,
                "type": code("opportunity_type", i % 2 == 0 ? "new business" : "existing customer"),
                "product": .text(o.0.components(separatedBy: "– ").last!),
            ])
        }

        insert("leads", 1, ["first_name": .text("Per"), "last_name": .text("Lund"), "company": .text("Lund AS"), "source": code("lead_source", "web form"), "status": code("lead_status", "new"), "score": .integer(40), "owner": .integer(1), "created_at": time("2026-05-01T12:00:00")])
        insert("leads", 2, ["first_name": .text("Eva"), "last_name": .text("Klein"), "company": .text("Klein KG"), "source": code("lead_source", "event"), "status": code("lead_status", "converted"), "score": .integer(85), "owner": .integer(2), "created_at": time("2026-02-01T12:00:00"), "converted_at": time("2026-02-20T12:00:00"), "converted_contact": .integer(3), "converted_opportunity": .integer(3)])
        insert("leads", 3, ["first_name": .text("Jordi"), "last_name": .text("Vila"), "company": .text("Vila SL"), "source": code("lead_source", "referral"), "status": code("lead_status", "working"), "score": .integer(60), "owner": .integer(3), "created_at": time("2025-12-01T12:00:00")])

        insert("activities", 1, ["type": code("activity_type", "call"), "subject": .text("Call Kari"), "owner": .integer(1), "account": .integer(1), "opportunity": .integer(1), "due_at": time("2026-06-10T10:00:00"), "done": .integer(1), "created_at": time("2026-06-01T10:00:00")])
        insert("activities", 2, ["type": code("activity_type", "email"), "subject": .text("Send quote"), "owner": .integer(1), "account": .integer(1), "opportunity": .integer(2), "due_at": time("2026-06-16T10:00:00"), "done": .integer(0), "created_at": time("2026-06-01T10:00:00")])
        insert("activities", 3, ["type": code("activity_type", "meeting"), "subject": .text("Demo"), "owner": .integer(2), "account": .integer(2), "due_at": time("2026-06-18T10:00:00"), "done": .integer(0), "created_at": time("2026-06-02T10:00:00")])
        insert("activities", 4, ["type": code("activity_type", "call"), "subject": .text("Call Jordi"), "owner": .integer(3), "lead": .integer(3), "due_at": time("2026-06-12T10:00:00"), "done": .integer(0), "created_at": time("2026-06-02T10:00:00")])
        return db
    }

    static func session() -> Session {
        Session(database: build(), settings: Session.Settings(today: today))
    }
}

extension ResultSet {
    /// Every row as plain text cells, for compact expectations.
    var plainRows: [[String]] {
        (0..<rowCount).map { r in row(r).map(\.plainText) }
    }

    func column(_ name: String) -> [String] {
        let c = columns.firstIndex { $0.name == name }!
        return (0..<rowCount).map { value(row: $0, column: c).plainText }
    }
}
