/// The fixed parts of the demo data: our own sales organisation, job titles, products and the phrases
/// activities, cases and campaigns are named with.

struct DemoUser: Sendable {
    let first: String
    let last: String
    /// A `user_role` value.
    let role: String
    /// Index into `DemoOrg.teams`.
    let team: Int
}

enum DemoOrg {
    /// The company whose CRM this is: it sells CRM software and services.
    static let domain = "lumensales.io"

    /// The five regional sales teams come first, in `DemoPlaces.team...` order.
    static let teams = ["Nordics", "DACH", "Iberia", "UK & Ireland", "North America", "Revenue Operations",
                        "Customer Support"]

    /// The same 50 people at every scale and seed, so course material can name them.
    static let users: [DemoUser] = [
        DemoUser(first: "Marit", last: "Hovland", role: "admin", team: 5),
        DemoUser(first: "Daniel", last: "Weiss", role: "admin", team: 5),
        DemoUser(first: "Kristoffer", last: "Lund", role: "manager", team: 0),
        DemoUser(first: "Ingrid", last: "Solberg", role: "sales", team: 0),
        DemoUser(first: "Henrik", last: "Aas", role: "sales", team: 0),
        DemoUser(first: "Sofie", last: "Lindqvist", role: "sales", team: 0),
        DemoUser(first: "Mads", last: "Kjær", role: "sales", team: 0),
        DemoUser(first: "Eirik", last: "Haugen", role: "sales", team: 0),
        DemoUser(first: "Thea", last: "Bakke", role: "sales", team: 0),
        DemoUser(first: "Jonas", last: "Strand", role: "sales", team: 0),
        DemoUser(first: "Emma", last: "Johansson", role: "sales", team: 0),
        DemoUser(first: "Katrin", last: "Vogel", role: "manager", team: 1),
        DemoUser(first: "Lukas", last: "Brandt", role: "sales", team: 1),
        DemoUser(first: "Anna", last: "Keller", role: "sales", team: 1),
        DemoUser(first: "Felix", last: "Hartmann", role: "sales", team: 1),
        DemoUser(first: "Julia", last: "Neumann", role: "sales", team: 1),
        DemoUser(first: "Tobias", last: "Lehner", role: "sales", team: 1),
        DemoUser(first: "Sarah", last: "Wimmer", role: "sales", team: 1),
        DemoUser(first: "Matthias", last: "Huber", role: "sales", team: 1),
        DemoUser(first: "Lea", last: "Baumann", role: "sales", team: 1),
        DemoUser(first: "Montserrat", last: "Puig", role: "manager", team: 2),
        DemoUser(first: "Jordi", last: "Ferrer", role: "sales", team: 2),
        DemoUser(first: "Laia", last: "Soler", role: "sales", team: 2),
        DemoUser(first: "Marc", last: "Vidal", role: "sales", team: 2),
        DemoUser(first: "Lucía", last: "Navarro", role: "sales", team: 2),
        DemoUser(first: "Pablo", last: "Ortega", role: "sales", team: 2),
        DemoUser(first: "Núria", last: "Casals", role: "sales", team: 2),
        DemoUser(first: "Oliver", last: "Bennett", role: "manager", team: 3),
        DemoUser(first: "Charlotte", last: "Hughes", role: "sales", team: 3),
        DemoUser(first: "James", last: "Whitfield", role: "sales", team: 3),
        DemoUser(first: "Aoife", last: "Byrne", role: "sales", team: 3),
        DemoUser(first: "Harry", last: "Collins", role: "sales", team: 3),
        DemoUser(first: "Emily", last: "Shaw", role: "sales", team: 3),
        DemoUser(first: "Liam", last: "O'Connor", role: "sales", team: 3),
        DemoUser(first: "Jennifer", last: "Morales", role: "manager", team: 4),
        DemoUser(first: "Michael", last: "Brooks", role: "sales", team: 4),
        DemoUser(first: "Ashley", last: "Turner", role: "sales", team: 4),
        DemoUser(first: "David", last: "Kim", role: "sales", team: 4),
        DemoUser(first: "Rachel", last: "Foster", role: "sales", team: 4),
        DemoUser(first: "Brian", last: "Walsh", role: "sales", team: 4),
        DemoUser(first: "Megan", last: "Price", role: "sales", team: 4),
        DemoUser(first: "Carlos", last: "Rivera", role: "sales", team: 4),
        DemoUser(first: "Nina", last: "Berg", role: "support", team: 6),
        DemoUser(first: "Stefan", last: "Roth", role: "support", team: 6),
        DemoUser(first: "Alba", last: "Pons", role: "support", team: 6),
        DemoUser(first: "Tom", last: "Fletcher", role: "support", team: 6),
        DemoUser(first: "Grace", last: "Lee", role: "support", team: 6),
        DemoUser(first: "Kasper", last: "Holm", role: "support", team: 6),
        DemoUser(first: "Elena", last: "Ruiz", role: "support", team: 6),
        DemoUser(first: "Sanna", last: "Virtanen", role: "support", team: 6),
    ]
}

struct DemoTitle: Sendable {
    let title: String
    /// A `contact_role` value.
    let role: String
    let weight: Double
}

struct DemoProduct: Sendable {
    let name: String
    let weight: Double
    /// The median deal value for the product, in whole currency units.
    let medianValue: Double
}

/// What an activity's subject is made of: fixed text around at most one name.
struct DemoSubject: Sendable {
    enum Slot: Sendable { case none, contact, contactFirst, account, product, lead, company }
    let before: String
    let slot: Slot
    let after: String

    init(_ before: String, _ slot: Slot = .none, _ after: String = "") {
        self.before = before
        self.slot = slot
        self.after = after
    }
}

enum DemoPhrases {
    static let titles: [DemoTitle] = [
        DemoTitle(title: "CEO", role: "decision maker", weight: 4),
        DemoTitle(title: "Managing Director", role: "decision maker", weight: 4),
        DemoTitle(title: "CFO", role: "decision maker", weight: 3),
        DemoTitle(title: "COO", role: "decision maker", weight: 2),
        DemoTitle(title: "CTO", role: "decision maker", weight: 3),
        DemoTitle(title: "IT Director", role: "decision maker", weight: 4),
        DemoTitle(title: "VP Sales", role: "decision maker", weight: 2),
        DemoTitle(title: "Chief Revenue Officer", role: "decision maker", weight: 1),
        DemoTitle(title: "Founder", role: "decision maker", weight: 1),
        DemoTitle(title: "Procurement Manager", role: "buyer", weight: 6),
        DemoTitle(title: "Head of Procurement", role: "buyer", weight: 3),
        DemoTitle(title: "Purchasing Agent", role: "buyer", weight: 3),
        DemoTitle(title: "Finance Manager", role: "buyer", weight: 3),
        DemoTitle(title: "Controller", role: "buyer", weight: 3),
        DemoTitle(title: "Category Manager", role: "buyer", weight: 2),
        DemoTitle(title: "Head of Sales", role: "influencer", weight: 5),
        DemoTitle(title: "Sales Manager", role: "influencer", weight: 6),
        DemoTitle(title: "Head of Marketing", role: "influencer", weight: 4),
        DemoTitle(title: "Marketing Manager", role: "influencer", weight: 5),
        DemoTitle(title: "Operations Manager", role: "influencer", weight: 5),
        DemoTitle(title: "IT Manager", role: "influencer", weight: 5),
        DemoTitle(title: "Customer Service Manager", role: "influencer", weight: 3),
        DemoTitle(title: "Project Manager", role: "influencer", weight: 4),
        DemoTitle(title: "Head of Customer Success", role: "influencer", weight: 2),
        DemoTitle(title: "Business Development Manager", role: "influencer", weight: 4),
        DemoTitle(title: "Account Executive", role: "user", weight: 5),
        DemoTitle(title: "Sales Representative", role: "user", weight: 5),
        DemoTitle(title: "Inside Sales Representative", role: "user", weight: 3),
        DemoTitle(title: "Office Manager", role: "user", weight: 4),
        DemoTitle(title: "Systems Administrator", role: "user", weight: 3),
        DemoTitle(title: "Business Analyst", role: "user", weight: 3),
        DemoTitle(title: "Marketing Coordinator", role: "user", weight: 3),
        DemoTitle(title: "Customer Service Representative", role: "user", weight: 3),
        DemoTitle(title: "HR Manager", role: "user", weight: 2),
        DemoTitle(title: "Marketing Intern", role: "user", weight: 0.8),
        DemoTitle(title: "Sales Intern", role: "user", weight: 0.8),
        DemoTitle(title: "IT Intern", role: "user", weight: 0.5),
    ]

    static let products: [DemoProduct] = [
        DemoProduct(name: "CRM Starter", weight: 18, medianValue: 3_500),
        DemoProduct(name: "CRM Professional", weight: 25, medianValue: 13_000),
        DemoProduct(name: "CRM Enterprise", weight: 10, medianValue: 60_000),
        DemoProduct(name: "Analytics Add-on", weight: 10, medianValue: 9_000),
        DemoProduct(name: "Support Plus", weight: 10, medianValue: 6_000),
        DemoProduct(name: "Onboarding Services", weight: 9, medianValue: 10_000),
        DemoProduct(name: "Marketing Hub", weight: 10, medianValue: 16_000),
        DemoProduct(name: "Integration Pack", weight: 8, medianValue: 8_000),
    ]

    /// By activity type (call, email, meeting, task), then by where the deal stands:
    /// early, middle and late open stages, won, lost.
    static let dealSubjects: [[[DemoSubject]]] = [
        [   // call
            [.init("Discovery call with ", .contact), .init("Intro call with ", .account),
             .init("Call with ", .contact), .init("Qualification call with ", .contact)],
            [.init("Needs analysis call with ", .contact), .init("Call with ", .contact),
             .init("Check requirements with ", .contactFirst)],
            [.init("Pricing call with ", .contact), .init("Follow up on quote"),
             .init("Call ", .contact, " about the proposal"), .init("Negotiation call with ", .account)],
            [.init("Handover call with ", .account), .init("Kick-off call with ", .contact)],
            [.init("Loss review call with ", .contact), .init("Call with ", .contact)],
        ],
        [   // email
            [.init("Send intro deck to ", .contact), .init("Send case studies to ", .account),
             .init("Intro email to ", .contact)],
            [.init("Send product overview to ", .account), .init("Send ", .product, " datasheet"),
             .init("Send meeting notes to ", .contact)],
            [.init("Send proposal to ", .account), .init("Follow up on quote"), .init("Send contract to ", .account),
             .init("Send revised quote to ", .contact)],
            [.init("Send welcome pack to ", .account), .init("Send onboarding plan to ", .contact)],
            [.init("Send feedback survey to ", .contact), .init("Email ", .contact, " about next year")],
        ],
        [   // meeting
            [.init("Intro meeting with ", .account), .init("First meeting with ", .contact)],
            [.init("Demo meeting"), .init("Product demo for ", .account), .init("Workshop with ", .account),
             .init("", .product, " demo")],
            [.init("Contract review with ", .account), .init("Negotiation meeting with ", .account),
             .init("Proposal presentation to ", .account)],
            [.init("Kick-off meeting with ", .account), .init("Onboarding workshop with ", .account)],
            [.init("Debrief meeting"), .init("Lost deal review")],
        ],
        [   // task
            [.init("Research ", .account), .init("Qualify budget and timeline"),
             .init("Find decision makers at ", .account)],
            [.init("Prepare demo for ", .account), .init("Prepare ROI calculation for ", .account),
             .init("Map requirements for ", .product)],
            [.init("Prepare quote for ", .product), .init("Follow up on quote"),
             .init("Get legal approval for ", .account, " contract"), .init("Update forecast for ", .account)],
            [.init("Create onboarding project for ", .account), .init("Hand over ", .account, " to customer success")],
            [.init("Record loss reason for ", .account), .init("Set reminder to reconnect with ", .account)],
        ],
    ]

    /// By activity type, for activities about a lead.
    static let leadSubjects: [[DemoSubject]] = [
        [.init("Call with ", .lead), .init("Qualification call with ", .lead), .init("Call back ", .lead)],
        [.init("Send info pack to ", .lead), .init("Reply to web inquiry from ", .company),
         .init("Follow up with ", .lead)],
        [.init("Intro meeting with ", .company), .init("Coffee meeting with ", .lead)],
        [.init("Qualify lead from ", .company), .init("Research ", .company), .init("Complete lead data for ", .lead)],
    ]

    /// By activity type, for account care outside any deal.
    static let accountSubjects: [[DemoSubject]] = [
        [.init("Check-in call with ", .contact), .init("Quarterly check-in with ", .account),
         .init("Renewal call with ", .account)],
        [.init("Send renewal reminder to ", .account), .init("Email invoice copy to ", .contact),
         .init("Send release notes to ", .contact)],
        [.init("Quarterly business review with ", .account), .init("Account planning with ", .account),
         .init("Lunch with ", .contact)],
        [.init("Update account plan for ", .account), .init("Review open cases for ", .account),
         .init("Prepare QBR for ", .account)],
    ]

    static let caseSubjects = [
        "Cannot log in", "Password reset not received", "CSV import fails on semicolons",
        "Duplicate contacts after import", "Email sync not working", "Outlook plug-in crashes on start",
        "Report shows wrong totals", "Dashboard loads slowly", "Invoice question", "Request for additional licenses",
        "API rate limit reached", "Integration with ERP stopped syncing", "GDPR data export request",
        "Custom field missing in export", "Mobile app does not show activities", "Calendar invites arrive twice",
        "Forecast numbers do not match", "User cannot see team pipeline", "Workflow rule not triggering",
        "Web form leads not arriving", "Change of billing address", "Question about the renewal quote",
        "Training request for new sales reps", "Data migration from spreadsheet", "SSO configuration help",
        "Lead scoring looks wrong", "Merge two accounts", "Deleted records need restoring",
        "Bounced emails from campaign", "Slow search in contacts",
    ]

    static let webinarTopics = [
        "Pipeline Forecasting", "Sales Automation", "Customer 360", "AI Lead Scoring", "GDPR for Sales Teams",
        "Email Marketing Basics", "Closing More Deals", "Data Migration", "Sales Dashboards", "Account Planning",
    ]

    static let eventNames = [
        "CRM Summit", "Customer Day", "Sales Breakfast", "Partner Roadshow", "Digital Growth Conference",
        "Tech Meetup", "Retail Innovation Forum", "Industry Trade Fair",
    ]

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    static func season(month: Int) -> String {
        switch month {
        case 3...5: "Spring"
        case 6...8: "Summer"
        case 9...11: "Autumn"
        default: "Winter"
        }
    }
}
