import Foundation
import Testing

@testable import BasinCommandLine

@Suite("basin schedule")
struct ScheduleCommandTests {
    @Test("the CSV lists every step's rate and momentum")
    func csv() {
        // CLR triangular, base 0.1, max 0.5, 2 steps up: 0.1, 0.3, 0.5, 0.3, 0.1 (closed
        // form); momentum 0.9 → 0.8 opposite.
        let result = run(
            ["schedule", "clr:base=0.1,max=0.5,step=2", "--iters", "5"], program: .basin)
        #expect(result.status == 0)
        let rows = result.standardOutput.split(separator: "\r\n").map { $0.split(separator: ",") }
        #expect(rows.first == ["iteration", "lr", "momentum"])
        let rates = rows.dropFirst().map { Double($0[1])! }
        for (rate, expected) in zip(rates, [0.1, 0.3, 0.5, 0.3, 0.1]) {
            #expect(abs(rate - expected) < 1e-12)
        }
        #expect(rows.count == 6)
    }

    @Test("lengths in epochs need --iters-per-epoch; --svg draws the chart")
    func epochsAndChart() throws {
        let refused = run(
            ["schedule", "clr:base=0.1,max=0.5,step=1ep", "--iters", "4"], program: .basin)
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("SPEC expects"))
        let svg = try trainingTestFolder().appendingPathComponent("schedule.svg")
        let drawn = run(
            [
                "schedule", "clr:base=0.1,max=0.5,step=1ep", "--iters", "8", "--iters-per-epoch",
                "2", "--svg", svg.path, "--quiet",
            ], program: .basin)
        #expect(drawn.status == 0)
        let text = try String(contentsOf: svg, encoding: .utf8)
        #expect(text.hasPrefix("<svg") || text.hasPrefix("<?xml"))
        #expect(text.contains("momentum"))
    }
}
