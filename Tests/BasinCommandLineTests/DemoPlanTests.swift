import BasinCheckpoint
import Foundation
import Testing

@testable import BasinCommandLine

@Suite("basin demo plan")
struct DemoPlanTests {
    /// A manifest of a 4-cycle run with 100 steps per cycle and a snapshot every 25 steps.
    func manifest(cycles: Int = 4) -> RunManifest {
        var checkpoints = [
            CheckpointRecord(
                file: "init.safetensors", kind: .initial, iteration: 0, epoch: 0,
                learningRate: 0.1, momentum: 0.9)
        ]
        for iteration in stride(from: 25, through: cycles * 100, by: 25) {
            checkpoints.append(
                CheckpointRecord(
                    file: String(format: "snapshot-%06d.safetensors", iteration), kind: .snapshot,
                    iteration: iteration, epoch: 0, learningRate: 0.1, momentum: 0.9))
            if iteration % 100 == 0 {
                checkpoints.append(
                    CheckpointRecord(
                        file: String(format: "cycle-%03d.safetensors", iteration / 100),
                        kind: .cycle, iteration: iteration, epoch: 0, cycle: iteration / 100,
                        learningRate: 0.1, momentum: 0.9))
            }
        }
        return RunManifest(
            toolVersion: "0.1.0", architecture: "cnn", configuration: [:],
            dataset: DatasetRecord(
                name: "embedded", trainingExampleCount: 10, testExampleCount: 2,
                normalizationMean: [0], normalizationStandardDeviation: [1]),
            seed: 1, threadCount: 1, checkpoints: checkpoints)
    }

    @Test("consecutive cycle ends are paired, and the control pair lies on the last descent")
    func pairs() throws {
        let pairs = try DemoPlan.pairs(in: manifest())
        #expect(pairs.map(\.label) == ["c1-c2", "c2-c3", "c3-c4", "branch-375-c4"])
        #expect(pairs.filter(\.isBranch).count == 1)
        // The last cycle peaks at step 350; the middle of its descent is 375.
        #expect(pairs.last!.start == "snapshot-000375.safetensors")
        #expect(pairs.last!.end == "cycle-004.safetensors")
    }

    @Test("a run with a single cycle end is refused")
    func tooFewCycles() {
        #expect(throws: DemoError.self) { try DemoPlan.pairs(in: manifest(cycles: 1)) }
    }

    @Test("the command lines name the run, the bounds and every BatchNorm mode")
    func commandLines() {
        let plan = DemoPlan(
            settings: DemoSettings(), output: URL(fileURLWithPath: "/tmp/out"),
            run: URL(fileURLWithPath: "/tmp/run"))
        let train = plan.train(base: 0.25, maximum: 1)
        #expect(train.starts(with: ["train", "--model", "cnn"]))
        #expect(train.contains("clr:mode=triangular,base=0.25,max=1.0,step=0.5ep,momentum=0.9"))
        #expect(train.contains("4.0"))
        let pair = DemoPair(
            start: "a.safetensors", end: "b.safetensors", label: "x", isBranch: false)
        let interpolate = plan.interpolate(pair)
        #expect(interpolate.contains("all"))
        #expect(interpolate.contains("/tmp/run/a.safetensors"))
        #expect(interpolate.contains("/tmp/out/interpolate-x"))
    }
}
