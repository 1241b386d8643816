/// Names of records, for references a file gives by name: users by name or email, contacts and
/// leads by email or "first last", other entities by `name` (else their title field), all
/// ignoring case. Built once per target entity from the data, then from the file's own rows.
struct ImportNames {
    /// Lowercased name -> the ids with it (usually one).
    private(set) var ids: [String: [Int64]] = [:]
    /// Each name as first written, by its lowercased form: for did-you-mean.
    private(set) var spelled: [String: String] = [:]

    /// The fields (or first/last pairs) that name a record of `entity`.
    static func namers(_ entity: EntityDef) -> [[Int]] {
        func f(_ n: String) -> Int? { entity.fieldIndex(n).flatMap { entity.fields[$0].type == .text ? $0 : nil } }
        switch entity.name {
        case "users": return [f("name"), f("email")].compactMap { $0.map { [$0] } }
        case "contacts", "leads":
            var out: [[Int]] = f("email").map { [[$0]] } ?? []
            if let a = f("first_name"), let b = f("last_name") { out.append([a, b]) }
            return out
        default:
            if let n = f("name") { return [[n]] }
            return f(entity.titleField).map { [[$0]] } ?? []
        }
    }

    init(_ collection: Collection) {
        let namers = ImportNames.namers(collection.entity)
        let ids = collection.ids
        let texts = namers.map { $0.map { collection.columns[$0].textColumn } }
        for row in 0..<collection.count {
            for columns in texts {
                let parts = columns.compactMap { $0[row] }
                guard parts.count == columns.count else { continue }
                add(parts.joined(separator: " "), ids[row])
            }
        }
    }

    mutating func add(_ name: String, _ id: Int64) {
        let key = name.lowercased()
        if ids[key]?.contains(id) == true { return }
        if ids[key] == nil { spelled[key] = name }
        ids[key, default: []].append(id)
    }

    /// The names of a row being imported (`value` of a field, by its index in the entity's fields).
    static func names(of value: (Int) -> StoredValue, _ namers: [[Int]]) -> [String] {
        namers.compactMap { fields -> String? in
            var parts: [String] = []
            for f in fields {
                guard case .text(let t?) = value(f) else { return nil }
                parts.append(t)
            }
            return parts.joined(separator: " ")
        }
    }
}
