/// "Did you mean" suggestions, by edit distance over the names in scope.
public enum Suggestions {
    /// The closest candidate to `word`, if it is close enough to be a plausible typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = word.lowercased()
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, c.lowercased())
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (name, d) = best else { return nil }
        // Allow roughly one edit per three characters, at least one, so "vaule" finds "value"
        // but "x" does not find "id".
        let allowed = max(1, min(w.count, name.count) / 3)
        if d <= allowed { return name }
        // A prefix is a good guess too ("opp" -> "opportunities").
        if w.count >= 3, name.lowercased().hasPrefix(w) { return name }
        return nil
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
