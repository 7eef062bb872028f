import Testing

@testable import BasinCommandLine

@Suite("Misspelling suggestions")
struct SuggestionTests {
    @Test(
        "common typos find the intended name",
        arguments: [
            ("--lrr", "--lr"), ("--lerning-rate", "--learning-rate"), ("trian", "train"),
            ("--epoch", "--epochs"), ("--LR", "--lr"), ("--momentm", "--momentum"),
            ("sed", "seed"),
        ])
    func typos(word: String, intended: String) {
        let candidates = [
            "--lr", "--learning-rate", "train", "--epochs", "--momentum", "seed", "--wd",
        ]
        #expect(closestMatch(to: word, among: candidates) == intended)
    }

    @Test("unrelated words get no suggestion; two edits are too many for short names")
    func noSuggestion() {
        #expect(closestMatch(to: "--lr", among: ["--wd"]) == nil)
        #expect(closestMatch(to: "--xyz", among: ["--lr", "--json"]) == nil)
        #expect(closestMatch(to: "anything", among: []) == nil)
    }

    @Test("the closest candidate wins and ties go to the first")
    func closest() {
        #expect(closestMatch(to: "--epochz", among: ["--epoch-count", "--epochs"]) == "--epochs")
        #expect(closestMatch(to: "ab", among: ["ac", "ad"]) == "ac")
    }

    @Test("the distance counts insertions, deletions, substitutions and adjacent swaps")
    func distance() {
        // Values by hand: kitten → sitting is the textbook Levenshtein example (3 edits).
        #expect(alignmentDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(alignmentDistance(Array("ab"), Array("ba")) == 1)
        #expect(alignmentDistance(Array(""), Array("abc")) == 3)
        #expect(alignmentDistance(Array("abc"), Array("abc")) == 0)
        // Optimal string alignment edits no substring twice: ca → abc costs 3, not 2.
        #expect(alignmentDistance(Array("ca"), Array("abc")) == 3)
    }
}
