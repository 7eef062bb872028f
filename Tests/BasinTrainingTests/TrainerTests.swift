import BasinData
import BasinKernels
import BasinNetwork
import Foundation
import Testing

@testable import BasinTraining

@Suite("Trainer")
struct TrainerTests {
    @Test("training lowers the loss of a learnable problem and ends with an evaluation")
    func learns() throws {
        let trainer = try TinyProblem.trainer(iterations: 36)
        let initial = trainer.model.evaluate(trainer.testBatches, mode: .running)
        let log = EventLog()
        let last = try trainer.run(observer: log.record)
        guard case .finished(let iteration) = last else {
            Issue.record("expected .finished, got \(last)")
            return
        }
        #expect(iteration == 36)
        #expect(log.iterations.map(\.iteration) == Array(0..<36))
        // 96 examples in batches of 8: epochs end after 12, 24 and 36 steps.
        #expect(log.evaluations.map(\.iteration) == [12, 24, 36])
        #expect(log.evaluations.allSatisfy { $0.endsEpoch })
        let final = log.evaluations.last!
        #expect(final.test.loss < initial.loss / 4)
        #expect(final.test.accuracy > 0.9)
        #expect(final.train.exampleCount == 96)
    }

    @Test("the same seed gives bit-identical weights and losses; another seed does not")
    func determinism() throws {
        func run(seed: UInt64) throws -> ([Float], [Double]) {
            let trainer = try TinyProblem.trainer(seed: seed, augmentation: .crop)
            let log = EventLog()
            try trainer.run(observer: log.record)
            return (trainer.model.parameters, log.iterations.map(\.loss))
        }
        let (first, firstLosses) = try run(seed: 3)
        let (second, secondLosses) = try run(seed: 3)
        let (other, _) = try run(seed: 4)
        #expect(first == second)
        #expect(firstLosses == secondLosses)
        #expect(first != other)
    }

    @Test("a run stopped and resumed from its saved state equals one that never stopped")
    func resumeIsExact() throws {
        let schedule = "clr:base=0.01,max=0.1,step=5"
        let whole = try TinyProblem.trainer(schedule: schedule, iterations: 30, snapshotEvery: 4)
        let wholeLog = EventLog()
        try whole.run(observer: wholeLog.record)

        // Stop after 17 steps (mid-epoch, mid-cycle), then continue in a new trainer whose
        // model starts from other weights.
        let first = try TinyProblem.trainer(schedule: schedule, iterations: 30, snapshotEvery: 4)
        let firstLog = EventLog()
        let paused = try first.run(until: 17, observer: firstLog.record)
        guard case .paused(17) = paused else {
            Issue.record("expected .paused(17), got \(paused)")
            return
        }
        let state = first.resumeState
        let second = try TinyProblem.trainer(
            schedule: schedule, iterations: 30, seed: 7, snapshotEvery: 4)
        second.model.parameters = [Float](repeating: 0.5, count: second.model.parameterCount)
        try second.restore(state)
        let secondLog = EventLog()
        try second.run(observer: secondLog.record)

        #expect(second.model.parameters == whole.model.parameters)
        #expect(second.optimizer.state == whole.optimizer.state)
        #expect(firstLog.iterations + secondLog.iterations == wholeLog.iterations)
        #expect(firstLog.evaluations + secondLog.evaluations == wholeLog.evaluations)
        #expect(firstLog.cycleEnds + secondLog.cycleEnds == wholeLog.cycleEnds)
        #expect(firstLog.snapshots + secondLog.snapshots == wholeLog.snapshots)
        if case .resumed(17) = secondLog.events.first {
        } else {
            Issue.record("a resumed run starts with .resumed(17), got \(secondLog.events.first!)")
        }
    }

    @Test("a state from another point of the batch stream is refused and changes nothing")
    func restoreChecks() throws {
        let trainer = try TinyProblem.trainer()
        try trainer.run(until: 5)
        var state = trainer.resumeState
        state.iteration = 6
        let fresh = try TinyProblem.trainer()
        let before = fresh.model.parameters
        #expect(throws: TrainingStateError.self) { try fresh.restore(state) }
        state = trainer.resumeState
        state.parameters.removeLast()
        #expect(throws: TrainingStateError.self) { try fresh.restore(state) }
        #expect(fresh.model.parameters == before)
        #expect(fresh.iteration == 0)
    }

    @Test("cycle ends and snapshots are announced after the steps that complete them")
    func cycleEndsAndSnapshots() throws {
        // CLR with 4 steps up and 4 down: cycles end after 8, 16 and 24 steps.
        let trainer = try TinyProblem.trainer(
            schedule: "clr:base=0.01,max=0.05,step=4", iterations: 26, snapshotEvery: 10)
        let log = EventLog()
        try trainer.run(observer: log.record)
        #expect(log.cycleEnds.map(\.iteration) == [8, 16, 24])
        #expect(log.cycleEnds.map(\.cycle) == [1, 2, 3])
        // The last step of a cycle runs at the rate just above the base: 0.01 + 0.04/4.
        for end in log.cycleEnds {
            #expect(abs(end.learningRate - 0.02) < 1e-12)
        }
        #expect(log.snapshots == [10, 20])
        // The run does not end on an epoch boundary (26 = 2·12 + 2): a final evaluation.
        #expect(log.evaluations.map(\.iteration) == [12, 24, 26])
        #expect(log.evaluations.map(\.endsEpoch) == [true, true, false])

        // Event order within the step that ends epoch 2 and cycle 3 (iteration 24).
        let kinds = log.events.map { event -> String in
            switch event {
            case .iterationCompleted(let record): "step \(record.iteration)"
            case .evaluated(let record): "eval \(record.iteration)"
            case .cycleEnded(let end): "cycle \(end.iteration)"
            case .snapshotDue(let iteration): "snapshot \(iteration)"
            default: "other"
            }
        }
        let index = kinds.firstIndex(of: "step 23")!
        #expect(Array(kinds[index...(index + 2)]) == ["step 23", "eval 24", "cycle 24"])
    }

    @Test("the divergence guard stops at the first non-finite or oversized loss")
    func divergenceGuard() throws {
        let trainer = try TinyProblem.trainer(schedule: "constant:lr=1e6,momentum=0.9")
        let log = EventLog()
        let last = try trainer.run(observer: log.record)
        guard case .diverged(let report) = last else {
            Issue.record("expected .diverged, got \(last)")
            return
        }
        #expect(report.iteration == log.iterations.count)
        #expect(report.iteration >= 1 && report.iteration < 30)
        #expect(report.learningRate == 1e6)
        #expect(!report.loss.isFinite || report.loss > report.lossBound)
        #expect(trainer.iteration == report.iteration)
        // 20·ln 3 for three classes.
        #expect(abs(report.lossBound - 20 * Foundation.log(3.0)) < 1e-12)
        #expect(report.description.contains("iteration \(report.iteration)"))

        // A bound below the initial loss (ln 3 ≈ 1.1) stops before the first step.
        let strict = try TinyProblem.trainer(lossBound: 0.01)
        guard case .diverged(let early) = try strict.run() else {
            Issue.record("expected an immediate divergence")
            return
        }
        #expect(early.iteration == 0)
        #expect(early.learningRate == nil)
    }

    @Test("an epoch's test metrics equal Model.evaluate over the whole test split")
    func evaluationMatchesModel() throws {
        let trainer = try TinyProblem.trainer(iterations: 12)
        let log = EventLog()
        try trainer.run(observer: log.record)
        let normalization = TinyProblem.normalization
        let all = try EvaluationBatcher(
            split: TinyProblem.dataset.test, batchSize: 30, normalization: normalization)
        var batch = all.makeBatch()
        all.fill(batchAt: 0, into: &batch)
        let direct = trainer.model.evaluate(
            images: batch.images, labels: batch.labels, mode: .running)
        let record = log.evaluations.last!
        #expect(abs(record.test.loss - direct.loss) < 1e-6)
        #expect(record.test.accuracy == direct.accuracy)
        #expect(record.test.exampleCount == 30)
    }

    @Test("a validation split is evaluated beside the test split")
    func validation() throws {
        var generator = TrainingSeeds.validationSplit(seed: 7)
        let held = try TinyProblem.dataset.holdingOutValidation(count: 16, generator: &generator)
        let trainer = try TinyProblem.trainer(iterations: 10, dataset: held)
        let log = EventLog()
        try trainer.run(observer: log.record)
        #expect(log.evaluations.count == 1)
        #expect(log.evaluations[0].validation?.exampleCount == 16)
        #expect(trainer.iterationsPerEpoch == 10)
    }
}
