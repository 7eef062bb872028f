import Testing

@testable import BasinCommandLine

@Suite("Text layout")
struct TextLayoutTests {
    @Test("wrapping breaks at spaces, indents continuation lines and keeps long words whole")
    func wrap() {
        let lines = TextLayout.wrap(
            "aaa bbb ccc dddddddddddd e", width: 10, indent: 2, firstIndent: "> ")
        #expect(lines == ["> aaa bbb", "  ccc", "  dddddddddddd", "  e"])
    }

    @Test("wrapping keeps the newlines of the text")
    func newlines() {
        #expect(
            TextLayout.wrap("a b\nc", width: 80, indent: 1, firstIndent: "")
                == ["a b", " c"])
    }

    @Test("two columns align descriptions and put them under a label that is too long")
    func twoColumns() {
        let long = String(repeating: "x", count: 30)
        let lines = TextLayout.twoColumns([("a", "first"), ("bbb", "second"), (long, "third")])
        #expect(lines == ["  a    first", "  bbb  second", "  " + long, "       third"])
    }
}
