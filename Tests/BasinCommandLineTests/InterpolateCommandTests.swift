import BasinCheckpoint
import Foundation
import Testing

@testable import BasinCommandLine

@Suite("interpolate command")
struct InterpolateCommandTests {
    @Test("writes curves, barriers, layers and analysis JSON of the expected sizes")
    func outputs() throws {
        let fixture = try AnalysisFixture()
        defer { fixture.remove() }
        let a = try fixture.mlp(
            "a", seed: 1, metadata: CheckpointMetadata(iteration: 100, cycle: 1, learningRate: 0.1))
        let b = try fixture.mlp("b", seed: 2)
        let out = fixture.folder.appendingPathComponent("out")
        let result = run(
            [
                "interpolate", a.path, b.path, "--alpha", "-0.5:1.5:5", "--bn", "all",
                "--no-refine",
                "--out", out.path,
            ] + fixture.smallData, program: .basin)
        #expect(result.status == 0, "\(result.standardError)")

        // 5 grid points (0 and 1 among them), 3 modes, 2 splits.
        let curves = try CSVTable.read(
            String(contentsOf: out.appendingPathComponent("curves.csv"), encoding: .utf8))
        #expect(
            curves.columns == ["mode", "split", "alpha", "loss", "error", "negative_variances"])
        #expect(curves.rows.count == 5 * 3 * 2)
        let barriers = try CSVTable.read(
            String(contentsOf: out.appendingPathComponent("barriers.csv"), encoding: .utf8))
        #expect(barriers.rows.count == 3 * 2 * 2)
        let layers = try CSVTable.read(
            String(contentsOf: out.appendingPathComponent("layers.csv"), encoding: .utf8))
        #expect(
            layers.rows.map { $0[0] } == [
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
                "fc3.weight", "fc3.bias", "all",
            ])

        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("analysis.json")))
        let object = try #require(json as? [String: Any])
        let start = try #require(object["start"] as? [String: Any])
        #expect(start["iteration"] as? Int == 100)
        #expect(start["cycle"] as? Int == 1)
        #expect((object["curves"] as? [Any])?.count == 6)
        #expect(object["identical"] as? Bool == false)
        let data = try #require(object["data"] as? [String: Any])
        #expect(data["normalizationSource"] as? String == "training split")
        #expect(result.standardOutput.contains("B_mean"))

        // The report: Markdown linking the figure, the figure, a self-contained page.
        let markdown = try String(
            contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("# Interpolation from a to b\n"))
        #expect(markdown.contains("](interpolation.svg)"))
        let svg = try String(
            contentsOf: out.appendingPathComponent("interpolation.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        let html = try String(
            contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("</html>"))
    }

    @Test("two checkpoints of different models fail with both files named")
    func mismatchedModels() throws {
        let fixture = try AnalysisFixture()
        defer { fixture.remove() }
        let a = try fixture.mlp("ten", seed: 1)
        let b = try fixture.mlp("five", seed: 2, classCount: 5)
        let result = run(
            ["interpolate", a.path, b.path, "--out", fixture.folder.path]
                + fixture.smallData, program: .basin)
        #expect(result.status == 1)
        #expect(result.standardError.contains("ten.safetensors"))
        #expect(result.standardError.contains("five.safetensors"))
        #expect(result.standardError.contains("same model"))
    }

    @Test("a truncated checkpoint fails with status 1 and a message naming the file")
    func truncatedFile() throws {
        let fixture = try AnalysisFixture()
        defer { fixture.remove() }
        let a = try fixture.mlp("a", seed: 1)
        let b = try fixture.mlp("broken", seed: 2)
        let bytes = try Data(contentsOf: b)
        try bytes.prefix(bytes.count / 2).write(to: b)
        let result = run(["interpolate", a.path, b.path] + fixture.smallData, program: .basin)
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("basin: error: "))
        #expect(result.standardError.contains("broken.safetensors"))
    }

    @Test("identical ends are reported and give zero barriers")
    func identicalEnds() throws {
        let fixture = try AnalysisFixture()
        defer { fixture.remove() }
        let a = try fixture.mlp("a", seed: 3)
        let b = try fixture.mlp("b", seed: 3)
        let out = fixture.folder.appendingPathComponent("out")
        let result = run(
            [
                "interpolate", a.path, b.path, "--alpha", "0:1:3", "--bn", "interp", "--out",
                out.path,
            ] + fixture.smallData, program: .basin)
        #expect(result.status == 0)
        #expect(result.standardError.contains("identical"))
        let barriers = try CSVTable.read(
            String(contentsOf: out.appendingPathComponent("barriers.csv"), encoding: .utf8))
        let column = try #require(barriers.columns.firstIndex(of: "b_max"))
        for row in barriers.rows { #expect(Double(row[column]) == 0) }
    }

    @Test("a checkpoint whose weights do not give its recorded test loss is reported")
    func metricMismatch() throws {
        let fixture = try AnalysisFixture()
        defer { fixture.remove() }
        let a = try fixture.mlp(
            "claims", seed: 1,
            metadata: CheckpointMetadata(dataset: fixture.dataFolder.path, testLoss: 0.01))
        let b = try fixture.mlp("b", seed: 2)
        let out = fixture.folder.appendingPathComponent("out")
        let result = run(
            [
                "interpolate", a.path, b.path, "--alpha", "0:1:2", "--bn", "batch", "--no-refine",
                "--out", out.path,
            ] + fixture.smallData, program: .basin)
        #expect(result.status == 0)
        #expect(result.standardError.contains("claims: the weights give test loss"))
        #expect(result.standardOutput.contains("recorded metrics: mismatch"))
        #expect(result.standardOutput.contains("recorded metrics: not recorded"))
    }
}
