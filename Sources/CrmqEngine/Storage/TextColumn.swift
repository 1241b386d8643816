/// A dictionary-encoded text column: each row holds a code into `dictionary`, -1 for null.
///
/// CRM text repeats a lot (industries, cities, titles, first names), so predicates run once per
/// distinct value and then as a tight loop over integer codes.
public struct TextColumn: Sendable {
    public private(set) var codes: [Int32] = []
    public private(set) var dictionary: [String] = []
    private var lookup: [String: Int32] = [:]

    public init() {}

    public var count: Int { codes.count }

    public subscript(row: Int) -> String? {
        let c = codes[row]
        return c < 0 ? nil : dictionary[Int(c)]
    }

    /// The code of `text`, adding it to the dictionary when new.
    public mutating func intern(_ text: String) -> Int32 {
        if let c = lookup[text] { return c }
        let c = Int32(dictionary.count)
        dictionary.append(text)
        lookup[text] = c
        return c
    }

    public mutating func append(_ text: String?) {
        codes.append(text.map { intern($0) } ?? -1)
    }

    public mutating func set(_ row: Int, _ text: String?) {
        codes[row] = text.map { intern($0) } ?? -1
    }

    public mutating func reserve(_ n: Int) { codes.reserveCapacity(n) }

    /// Exact (case-sensitive) code lookup, without adding.
    public func code(of text: String) -> Int32? { lookup[text] }
}
