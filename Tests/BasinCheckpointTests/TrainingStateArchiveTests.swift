import BasinCheckpoint
import BasinTraining
import Foundation
import Testing

@Suite("Training state archive")
struct TrainingStateArchiveTests {
    @Test("a training state survives the archive and the disk exactly")
    func roundTrip() throws {
        let trainer = try TinyRun.trainer(schedule: "constant:lr=0.05,momentum=0.9")
        try trainer.run(until: 15)
        let state = trainer.resumeState
        let url = try temporaryFolder().appendingPathComponent("state.safetensors")
        try TrainingStateArchive.archive(state).write(to: url)
        let read = try TrainingStateArchive.resumeState(
            from: StateArchive(contentsOf: url), model: trainer.model)
        #expect(read == state)
        #expect(read.optimizer.vectors["momentum_buffer"]?.count == trainer.model.parameterCount)
    }

    @Test("a missing entry is named in the error")
    func missingEntry() throws {
        let trainer = try TinyRun.trainer()
        var archive = TrainingStateArchive.archive(trainer.resumeState)
        archive.strings["batcher"] = nil
        #expect(throws: CheckpointError.self) {
            try TrainingStateArchive.resumeState(from: archive, model: trainer.model)
        }
        archive.setString("{}", named: "batcher")
        #expect(throws: CheckpointError.self) {
            try TrainingStateArchive.resumeState(from: archive, model: trainer.model)
        }
    }
}
