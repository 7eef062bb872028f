/// The closest of `candidates` to a misspelt `word`, or nil when none is close enough to
/// be a plausible typo.
///
/// Closeness is the optimal string alignment distance (Levenshtein with adjacent
/// transpositions, so `trian` → `train` costs 1), compared case-insensitively and without
/// leading dashes. A candidate is accepted when its distance is at most
/// max(1, ⌊n / 3⌋) with n the length of the shorter word: one edit for short names, where
/// two edits turn `lr` into `wd`, more for long ones. Ties go to the first candidate.
func closestMatch(to word: String, among candidates: [String]) -> String? {
    let key = normalized(word)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        let other = normalized(candidate)
        let distance = alignmentDistance(key, other)
        let limit = max(1, min(key.count, other.count) / 3)
        guard distance <= limit else { continue }
        if best == nil || distance < best!.distance {
            best = (candidate, distance)
        }
    }
    return best?.candidate
}

private func normalized(_ word: String) -> [Character] {
    Array(word.drop(while: { $0 == "-" }).lowercased())
}

/// The optimal string alignment distance between `a` and `b`: the fewest insertions,
/// deletions, substitutions and swaps of two adjacent characters, no substring edited
/// twice. O(|a|·|b|) time.
func alignmentDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // d[i][j] is the distance between the first i characters of a and the first j of b.
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
