import BasinCheckpoint
import Foundation
import Testing

@testable import BasinCommandLine

@Suite("barriers command")
struct BarriersCommandTests {
    @Test("a run folder of three cycle ends gives three pairs, three ensembles and JSON")
    func runFolder() throws {
        let fixture = try AnalysisFixture()
        defer { fixture.remove() }
        for cycle in 1...3 {
            try fixture.mlp(
                "cycle-00\(cycle)", seed: UInt64(cycle),
                metadata: CheckpointMetadata(kind: .cycle, iteration: 100 * cycle, cycle: cycle))
        }
        try fixture.mlp("final", seed: 9)
        let out = fixture.folder.appendingPathComponent("out")
        let result = run(
            [
                "barriers", fixture.folder.path, "--bn", "batch", "--alpha", "0:1:3", "--out",
                out.path,
            ] + fixture.smallData, program: .basin)
        #expect(result.status == 0, "\(result.standardError)")

        // Three pairs on two splits; the ensembles of the first 1, 2 and 3.
        let pairs = try CSVTable.read(
            String(contentsOf: out.appendingPathComponent("pairs.csv"), encoding: .utf8))
        #expect(pairs.rows.count == 3 * 2)
        #expect(pairs.rows.map { "\($0[0])-\($0[1])-\($0[2])" }.first == "cycle-001-cycle-002-test")
        let ensembles = try CSVTable.read(
            String(contentsOf: out.appendingPathComponent("ensembles.csv"), encoding: .utf8))
        #expect(ensembles.rows.map { $0[0] } == ["1", "2", "3"])
        let checkpoints = try CSVTable.read(
            String(contentsOf: out.appendingPathComponent("checkpoints.csv"), encoding: .utf8))
        #expect(checkpoints.rows.map { $0[1] } == ["100", "200", "300"])
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("analysis.json")))
        let matrix = try #require((json as? [String: Any])?["matrix"] as? [String: Any])
        #expect((matrix["pairs"] as? [Any])?.count == 3)
        #expect(matrix["names"] as? [String] == ["cycle-001", "cycle-002", "cycle-003"])

        let markdown = try String(
            contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        for figure in [
            "barrier-test-loss.svg", "barrier-train-loss.svg", "barrier-test-error.svg",
            "distance.svg", "disagreement.svg", "ensembles.svg",
        ] {
            #expect(markdown.contains("](\(figure))"), "\(figure) is linked")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(figure).path))
        }
        #expect(
            FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    }

    @Test("a folder with one cycle checkpoint is refused, naming the folder")
    func tooFew() throws {
        let fixture = try AnalysisFixture()
        defer { fixture.remove() }
        try fixture.mlp("cycle-001", seed: 1)
        let result = run(["barriers", fixture.folder.path] + fixture.smallData, program: .basin)
        #expect(result.status == 1)
        #expect(result.standardError.contains(fixture.folder.path))
        #expect(result.standardError.contains("at least two"))
    }
}
