/// Keeping a text index exact while its column changes: a text new to the column's dictionary
/// gets its place in the alphabetical order (a binary search and a block move), and the rows
/// move between dictionary codes as in any posting index.
extension TextIndex {
    /// How many dictionary entries the index knows.
    var entries: Int { keyStarts.count - 1 }

    /// Adds the entries of `dictionary` beyond those the index knows (texts interned since).
    mutating func addEntries(of dictionary: TextDictionary) {
        let known = entries
        guard dictionary.count > known else { return }
        keyStarts.reserveCapacity(dictionary.count + 1)
        for code in known..<dictionary.count {
            keyBytes.append(contentsOf: TextIndex.fold(dictionary[code]).utf8)
            keyStarts.append(Int32(keyBytes.count))
        }
        var added = (Int32(known)..<Int32(dictionary.count)).map { $0 }
        let at: [Int] = keyBytes.withUnsafeBufferPointer { b in
            keyStarts.withUnsafeBufferPointer { s in
                func compare(_ x: Int32, _ y: Int32) -> Int {
                    TextIndex.compare(b, Int(s[Int(x)]), Int(s[Int(x) + 1]), b, Int(s[Int(y)]), Int(s[Int(y) + 1]))
                }
                added.sort { x, y in
                    let c = compare(x, y)
                    return c != 0 ? c < 0 : x < y
                }
                // Every known code is below every new one, so a new entry goes after the known
                // entries with an equal key.
                var out: [Int] = [], from = 0
                out.reserveCapacity(added.count)
                for code in added {
                    from = RowArrayEdits.gallop(from: from, to: sortedCodes.count) { compare(sortedCodes[$0], code) <= 0 }
                    out.append(from)
                }
                return out
            }
        }
        RowArrayEdits.insert(added, at: at, into: &sortedCodes)
    }

    /// Takes `changed` out, by their codes in `column` as it was before the change.
    mutating func remove(_ changed: [Int32], codes: [Int32]) -> Bool {
        codes.withUnsafeBufferPointer { c in postings.remove(changed) { Int64(c[Int($0)]) } }
    }

    /// Puts `added` in, by their codes in `column` now (its new texts added first).
    mutating func insert(_ added: [Int32], column: TextColumn) -> Bool {
        addEntries(of: column.dictionary)
        return column.codes.withUnsafeBufferPointer { c in
            postings.insert(added, key: { Int64(c[Int($0)]) }, records: column.count)
        }
    }
}
