/// Finding a record by the name a user gives (`show account "Acme AS"`, `convert lead "Per Lund"`):
/// a plain `find` whose condition compares names ignoring case, as `=` does.
struct RecordLookup: Sendable {
    let entity: String
    let name: String

    /// The statement that lists the records the name matches.
    var statement: String {
        "find \(entity) where \(condition) show \(columns.joined(separator: ", ")) order by id"
    }

    /// The columns that tell the matches apart in an error (the first is the id).
    var columns: [String] {
        switch entity {
        case "accounts": ["id", "name", "city", "country"]
        case "opportunities": ["id", "name", "account.name", "stage"]
        case "contacts": ["id", "first_name", "last_name", "email", "account.name"]
        case "leads": ["id", "first_name", "last_name", "company", "status"]
        default: ["id"]
        }
    }

    /// The statement whose rows are the names a typo is compared with (did-you-mean).
    var candidatesStatement: String {
        switch entity {
        case "contacts", "leads": "find \(entity) show first_name, last_name, email"
        default: "find \(entity) show name"
        }
    }

    private var condition: String {
        let q = CrmqText.quoted(name)
        switch entity {
        case "accounts", "opportunities":
            return "name = \(q)"
        case "contacts", "leads":
            if name.contains("@") { return "email = \(q)" }
            let person = RecordLookup.personCondition(name)
            return entity == "leads" ? "\(person) or company = \(q)" : person
        default:
            return "id = 0"
        }
    }

    /// `"Ana Maria Lopez"` as first and last name split at each space; one word is a last name.
    static func personCondition(_ name: String) -> String {
        let words = name.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count > 1 else { return "last_name = \(CrmqText.quoted(words.first ?? name))" }
        let splits = (1..<words.count).map { k in
            "(first_name = \(CrmqText.quoted(words[..<k].joined(separator: " "))) and last_name = "
                + "\(CrmqText.quoted(words[k...].joined(separator: " "))))"
        }
        return splits.joined(separator: " or ")
    }
}

extension RecordLookup {
    /// The field to search in a hint when a name matched nothing.
    static func searchHint(_ entity: String) -> String {
        entity == "contacts" || entity == "leads" ? "last_name" : "name"
    }
}
