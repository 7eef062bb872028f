import BasinCommandLine
import Testing

@Suite("Linear grids")
struct LinearGridTests {
    @Test("START:END:COUNT gives COUNT points with both ends exact")
    func values() throws {
        let grid = try LinearGrid.argumentParser.parse("-0.5:1.5:41")
        #expect(grid == LinearGrid(start: -0.5, end: 1.5, count: 41))
        let points = grid.values
        #expect(points.count == 41)
        #expect(points.first == -0.5)
        #expect(points.last == 1.5)
        // Step (1.5 − (−0.5)) / 40 = 0.05, so point 10 is α = 0 and point 30 is α = 1
        // exactly: (1 − t)·start + t·end with t = 1/4 gives −0.375 + 0.375.
        #expect(points[10] == 0)
        #expect(points[30] == 1)
    }

    @Test("a grid may run downwards")
    func downwards() {
        #expect(LinearGrid(start: 1, end: 0, count: 3).values == [1, 0.5, 0])
    }

    @Test(
        "malformed grids are rejected with a reason where one helps",
        arguments: [
            ("3", nil), ("0:1", nil), ("0:1:2:3", nil), ("a:1:3", "START and END must be numbers"),
            ("0:inf:3", "START and END must be numbers"), ("0:1:x", "COUNT must be an integer"),
            ("0:1:1", "COUNT must be at least 2"), ("0:1:-4", "COUNT must be at least 2"),
        ] as [(String, String?)])
    func malformed(text: String, reason: String?) {
        #expect(throws: InvalidValue(reason)) { try LinearGrid.argumentParser.parse(text) }
    }

    @Test("the grid prints as it is typed")
    func description() {
        #expect(LinearGrid(start: -0.5, end: 1.5, count: 41).description == "-0.5:1.5:41")
    }
}
