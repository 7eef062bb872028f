import BasinCheckpoint
import BasinData
import BasinNetwork
import BasinTraining
import Foundation
import Testing

@Suite("Run writer")
struct RunWriterTests {
    func bytes(_ folder: URL, _ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    @Test("checkpoints appear at the start, at every cycle end, at snapshots and at the end")
    func checkpointsAtTheRightIterations() throws {
        let folder = try temporaryFolder().appendingPathComponent("run")
        let trainer = try TinyRun.trainer(iterations: 25, snapshotEvery: 12)
        let writer = try RunWriter.create(
            folder: folder, manifest: TinyRun.manifest(), overwrite: false)
        try trainer.run { try writer.handle($0, from: trainer) }

        // CLR with step 5: cycles end after 10 and 20 steps.
        let manifest = try RunManifest(contentsOf: folder.appendingPathComponent("run.json"))
        #expect(
            manifest.checkpoints.map(\.file) == [
                "init.safetensors", "cycle-001.safetensors", "snapshot-000012.safetensors",
                "cycle-002.safetensors", "snapshot-000024.safetensors", "final.safetensors",
            ])
        #expect(manifest.checkpoints.map(\.iteration) == [0, 10, 12, 20, 24, 25])
        #expect(manifest.checkpoints.map(\.cycle) == [nil, 1, nil, 2, nil, nil])
        let cycle = try Checkpoint(
            contentsOf: folder.appendingPathComponent("cycle-002.safetensors"))
        #expect(cycle.metadata.iteration == 20)
        #expect(cycle.metadata.cycle == 2)
        #expect(cycle.metadata.epoch == 1)
        #expect(cycle.metadata.architecture == "mlp")
        // The last step of a cycle ran at 0.01 + 0.09/5.
        #expect(abs(cycle.metadata.learningRate! - 0.028) < 1e-12)
        // Metrics of the evaluation after 12 steps travel with the checkpoint.
        #expect(cycle.metadata.testAccuracy != nil)
        for record in manifest.checkpoints {
            let state = RunFileName.optimizerState(besideCheckpoint: record.file)
            #expect(
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(state).path))
        }

        // The weights of the final checkpoint are the trainer's.
        let final = try Checkpoint(contentsOf: folder.appendingPathComponent("final.safetensors"))
        let model = try final.makeModel()
        #expect(model.parameters == trainer.model.parameters)

        // 25 step rows and evaluations after 12, 24 and 25 steps.
        let metrics = try String(
            contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8)
        let lines = metrics.split(separator: "\r\n")
        #expect(lines.count == 1 + 25 + 3)
        #expect(lines[0].hasPrefix("kind,iteration,epoch,lr,momentum,loss"))
        #expect(
            lines.filter { $0.hasPrefix("evaluation,") }.map { $0.split(separator: ",")[1] }
                == ["12", "24", "25"])
    }

    @Test("a run resumed from its folder writes bit-identical checkpoints and metrics")
    func resumeIsBitIdentical() throws {
        let base = try temporaryFolder()
        let whole = base.appendingPathComponent("whole")
        let trainer = try TinyRun.trainer(snapshotEvery: 7)
        let writer = try RunWriter.create(
            folder: whole, manifest: TinyRun.manifest(), overwrite: false)
        try trainer.run { try writer.handle($0, from: trainer) }

        // Stop after 17 steps (a snapshot is written there), then resume in a new process's
        // worth of objects.
        let split = base.appendingPathComponent("split")
        let first = try TinyRun.trainer(snapshotEvery: 7)
        let firstWriter = try RunWriter.create(
            folder: split, manifest: TinyRun.manifest(), overwrite: false)
        try first.run(until: 17) { try firstWriter.handle($0, from: first) }
        let (resumedWriter, checkpoint) = try RunWriter.resume(folder: split)
        #expect(checkpoint.lastPathComponent == "snapshot-000017.safetensors")
        let second = try TinyRun.trainer(snapshotEvery: 7)
        try second.restore(RunWriter.resumeState(checkpoint: checkpoint, model: second.model))
        try second.run { try resumedWriter.handle($0, from: second) }

        for name in [
            "final.safetensors", "final.optimizer.safetensors", "cycle-002.safetensors",
            "cycle-003.safetensors", "snapshot-000021.safetensors", "metrics.csv",
        ] {
            #expect(try bytes(whole, name) == bytes(split, name), "\(name) differs")
        }
    }

    @Test("resuming forgets checkpoints and metrics written after the resumed one")
    func resumeTruncates() throws {
        let folder = try temporaryFolder().appendingPathComponent("run")
        let trainer = try TinyRun.trainer(snapshotEvery: 7)
        let writer = try RunWriter.create(
            folder: folder, manifest: TinyRun.manifest(), overwrite: false)
        try trainer.run(until: 16) { try writer.handle($0, from: trainer) }
        // A crash after step 16 lost the state of the pause snapshot: resume from step 14.
        try FileManager.default.removeItem(
            at: folder.appendingPathComponent("snapshot-000016.optimizer.safetensors"))
        let (resumed, checkpoint) = try RunWriter.resume(folder: folder)
        #expect(checkpoint.lastPathComponent == "snapshot-000014.safetensors")
        #expect(resumed.manifest.checkpoints.map(\.iteration) == [0, 7, 10, 14])
        // 14 step rows and the evaluation after 12 steps.
        #expect(resumed.metrics.rowCount == 15)
    }

    @Test("a new run refuses an existing folder unless told to overwrite it")
    func existingFolder() throws {
        let folder = try temporaryFolder()
        #expect(throws: RunError.folderExists(path: folder.path)) {
            try RunWriter.create(folder: folder, manifest: TinyRun.manifest(), overwrite: false)
        }
        try Data("old".utf8).write(to: folder.appendingPathComponent("stale.txt"))
        _ = try RunWriter.create(folder: folder, manifest: TinyRun.manifest(), overwrite: true)
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("stale.txt").path)
        )
        #expect(RunError.folderExists(path: "x").description.contains("--force"))
    }

    @Test("on divergence the last checkpoint stays the last good one and no final is written")
    func divergenceKeepsLastGood() throws {
        let folder = try temporaryFolder().appendingPathComponent("run")
        let trainer = try TinyRun.trainer(
            schedule: "linear-ramp:start=0.01,end=1e5,length=40", iterations: 40, snapshotEvery: 3)
        let writer = try RunWriter.create(
            folder: folder, manifest: TinyRun.manifest(), overwrite: false)
        let last = try trainer.run { try writer.handle($0, from: trainer) }
        guard case .diverged(let report) = last else {
            Issue.record("expected a divergence, got \(last)")
            return
        }
        #expect(
            !FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("final.safetensors").path))
        let good = try #require(writer.lastCheckpoint)
        #expect(good.iteration <= report.iteration)
        let checkpoint = try Checkpoint(contentsOf: folder.appendingPathComponent(good.file))
        let model = try checkpoint.makeModel()
        #expect(model.parameters.allSatisfy { $0.isFinite })
    }
}
