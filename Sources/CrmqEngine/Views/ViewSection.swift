/// One headed part of a 360° view: the plain crmq statements that produce it, and how their
/// results make the section. A view is a list of these, so `explain show ...` can print exactly
/// what runs, and a user could type each statement by hand.
struct ViewSection: Sendable {
    enum Shape: Sendable {
        /// One `find` of one record, shown as `field  value` lines.
        case record
        /// A `count` then a `find ... limit N`: a table capped at N rows, then "and M more".
        case list
        /// Two `count, sum value` statements (won, then lost): one row with the win rate by count.
        case outcome
        /// A `count` then the stage changes in order: a table with each stage's days in it.
        case timeline
    }

    /// The key of the section in json (`open_deals`).
    var key: String
    /// The heading (`open deals`).
    var title: String
    var shape: Shape
    var statements: [String]
}

/// Writing values into crmq statements.
enum CrmqText {
    /// `"Acme \"Nord\" AS"`: a text literal that reads back as `s`.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += " "
            default: out.append(ch)
            }
        }
        return out + "\""
    }

    /// `("Closed Won", "Contract signed")`
    static func list(_ values: [String]) -> String {
        "(" + values.map(quoted).joined(separator: ", ") + ")"
    }
}
