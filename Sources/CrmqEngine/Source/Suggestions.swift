/// "Did you mean" suggestions, by edit distance over the names in scope.
public enum Suggestions {
    /// The closest candidate to `word`, if it is close enough to be a plausible typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = word.lowercased()
        let wordLength = w.count
        var best: (String, Int)?
        for c in candidates {
            let lowered = c.lowercased()
            // Edits are at least the difference in length: a candidate that cannot be close enough
            // is not compared (a 1 MB word would cost a million steps per candidate).
            let length = lowered.count
            guard abs(wordLength - length) <= allowedEdits(wordLength, length) || isPrefix(w, wordLength, of: lowered) else { continue }
            let d = distance(w, lowered)
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (name, d) = best else { return nil }
        if d <= allowedEdits(wordLength, name.count) { return name }
        if isPrefix(w, wordLength, of: name.lowercased()) { return name }
        return nil
    }

    /// Roughly one edit per three characters, at least one, so "vaule" finds "value" but "x" does not find "id".
    private static func allowedEdits(_ a: Int, _ b: Int) -> Int { max(1, min(a, b) / 3) }

    /// A prefix is a good guess too ("opp" -> "opportunities").
    private static func isPrefix(_ word: String, _ wordLength: Int, of name: String) -> Bool {
        wordLength >= 3 && word.utf8.count <= name.utf8.count && name.hasPrefix(word)
    }

    /// A hint string: `did you mean "x"?` or nil.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String? {
        closest(to: word, in: candidates).map { "did you mean \"\($0)\"?" }
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}
