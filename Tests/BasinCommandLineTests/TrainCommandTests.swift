import BasinCheckpoint
import Foundation
import Testing

@testable import BasinCommandLine

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A fresh empty folder for one test.
func trainingTestFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("basin-training-commands-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A short run on the embedded data: 50 images per step, evaluation batches of 500.
func shortTrainingRun(_ folder: URL, _ extra: [String] = []) -> RunResult {
    run(
        [
            "train", "--model", "mlp", "--data", "embedded", "--batch-size", "50",
            "--eval-batch-size", "500", "--threads", "1", "--out", folder.path, "--quiet",
        ] + extra, program: .basin)
}

@Suite("basin train")
struct TrainCommandTests {
    @Test("a short run writes its folder and prints where it is")
    func writesRunFolder() throws {
        let folder = try trainingTestFolder().appendingPathComponent("run")
        let result = shortTrainingRun(
            folder, ["--schedule", "clr:base=0.01,max=0.05,step=2", "--iterations", "9"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("trained 9 steps; run folder "))
        let manifest = try RunManifest(contentsOf: folder.appendingPathComponent("run.json"))
        #expect(
            manifest.checkpoints.map(\.file) == [
                "init.safetensors", "cycle-001.safetensors", "cycle-002.safetensors",
                "final.safetensors",
            ])
        #expect(manifest.configuration["schedule"]?.hasPrefix("clr:") == true)
        #expect(manifest.configuration["iterations"] == "9")
        // The thread count is process-wide and other suites run at the same time, so only
        // its presence is checked.
        #expect(manifest.threadCount >= 1)
        #expect(manifest.dataset.trainingExampleCount == 10_000)
        try expectTrainingCurves(in: folder, cycleCount: 2)
    }

    /// `training.svg` parses as XML, has both panels and marks every cycle end.
    func expectTrainingCurves(in folder: URL, cycleCount: Int) throws {
        let svg = try String(
            contentsOf: folder.appendingPathComponent(TrainingCurves.fileName), encoding: .utf8)
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains("Loss") && svg.contains("Accuracy"))
        for cycle in 1...cycleCount { #expect(svg.contains(">c\(cycle)<")) }
    }

    @Test("a run stopped with --stop-after and resumed ends with the same bytes")
    func stopAndResume() throws {
        let base = try trainingTestFolder()
        let options = ["--schedule", "onecycle:max=0.05", "--iterations", "8", "--augment", "crop"]
        #expect(shortTrainingRun(base.appendingPathComponent("whole"), options).status == 0)
        let split = base.appendingPathComponent("split")
        let paused = shortTrainingRun(split, options + ["--stop-after", "5"])
        #expect(paused.status == 0)
        #expect(paused.standardOutput.contains("paused after 5 steps"))
        let resumed = run(["train", "--resume", split.path, "--quiet"], program: .basin)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        for name in ["final.safetensors", "final.optimizer.safetensors", "metrics.csv"] {
            let whole = try Data(contentsOf: base.appendingPathComponent("whole/" + name))
            let parts = try Data(contentsOf: split.appendingPathComponent(name))
            #expect(whole == parts, "\(name) differs")
        }
    }

    @Test("--resume refuses settings of its own")
    func resumeRefusesSettings() throws {
        let result = run(
            ["train", "--resume", "/nonexistent", "--iterations", "3"], program: .basin)
        #expect(result.status == 2)
        #expect(result.standardError.contains("drop --iterations"))
    }

    @Test("a diverging run stops with status 1 naming the step and the rate")
    func divergence() throws {
        let folder = try trainingTestFolder().appendingPathComponent("run")
        let result = shortTrainingRun(
            folder,
            ["--schedule", "constant:lr=1e4", "--iterations", "30", "--save-every", "1"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("training diverged at iteration"))
        #expect(result.standardError.contains("learning rate 10000"))
        #expect(result.standardError.contains("the last good checkpoint is"))
        #expect(
            !FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("final.safetensors").path))
    }

    @Test("an existing run folder is refused without --force")
    func existingFolder() throws {
        let folder = try trainingTestFolder()
        let result = shortTrainingRun(folder, ["--iterations", "2"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("--force"))
        #expect(shortTrainingRun(folder, ["--iterations", "2", "--force"]).status == 0)
    }

    @Test("a schedule without an end needs the run's length")
    func lengthRequired() {
        let result = run(
            ["train", "--schedule", "constant:lr=0.1", "--quiet"], program: .basin)
        #expect(result.status == 2)
        #expect(result.standardError.contains("give --epochs or --iterations"))
    }
}
