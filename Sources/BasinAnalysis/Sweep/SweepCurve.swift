import BasinData
import BasinNetwork
import BasinTraining
import Foundation

/// The held-out curve of one sweep point: the validation loss and accuracy before the
/// first step and after every `evaluationPeriod` steps, and at the last step.
public struct SweepCurve: Codable, Equatable, Sendable {
    /// Steps completed at each evaluation, from 0 (the starting weights).
    public var iterations: [Int] = []
    /// The learning rate of the last step before each evaluation (of step 0 for the
    /// evaluation at iteration 0): the x axis of a range test.
    public var learningRates: [Double] = []
    /// Validation loss (nats per example) and accuracy, BatchNorm in running mode.
    public var losses: [Double] = []
    public var accuracies: [Double] = []
    /// The test split's loss and accuracy at the same iterations, when asked for.
    public var testLosses: [Double]?
    public var testAccuracies: [Double]?
    /// Whether the divergence guard stopped training (the curve ends at the last good
    /// weights).
    public var diverged = false
    /// Seconds spent in training steps, evaluations excluded.
    public var trainingSeconds = 0.0

    public init() {}

    /// Trains with `trainer` to the end of its configuration (or until `timeLimitSeconds`
    /// of training have passed), evaluating `validation` (and `test`) every
    /// `evaluationPeriod` steps in BatchNorm's running-statistics mode.
    ///
    /// With the same trainer configuration, model and thread count the curve is the same
    /// bit for bit, except where a time limit cuts it.
    /// - Precondition: `evaluationPeriod > 0`.
    public static func record(
        _ trainer: Trainer, validation: EvaluationBatcher, test: EvaluationBatcher?,
        evaluationPeriod: Int, timeLimitSeconds: Double? = nil
    ) throws -> SweepCurve {
        precondition(evaluationPeriod > 0, "evaluation period \(evaluationPeriod) must be > 0")
        var curve = SweepCurve()
        curve.testLosses = test.map { _ in [] }
        curve.testAccuracies = test.map { _ in [] }
        let schedule = trainer.configuration.schedule
        func evaluate() {
            let iteration = trainer.iteration
            curve.iterations.append(iteration)
            curve.learningRates.append(schedule.value(at: max(iteration - 1, 0)).learningRate)
            let metrics = trainer.model.evaluate(validation, mode: .running)
            curve.losses.append(metrics.loss)
            curve.accuracies.append(metrics.accuracy)
            if let test {
                let metrics = trainer.model.evaluate(test, mode: .running)
                curve.testLosses!.append(metrics.loss)
                curve.testAccuracies!.append(metrics.accuracy)
            }
        }
        evaluate()
        while !trainer.isFinished {
            let next = (trainer.iteration / evaluationPeriod + 1) * evaluationPeriod
            let start = Date()
            let last = try trainer.run(until: next)
            curve.trainingSeconds += Date().timeIntervalSince(start)
            if trainer.iteration > curve.iterations.last! { evaluate() }
            if case .diverged = last {
                curve.diverged = true
                break
            }
            if let timeLimitSeconds, curve.trainingSeconds >= timeLimitSeconds { break }
        }
        return curve
    }

    /// The curve's x positions: iterations, or learning rates for a range test.
    public func positions(againstLearningRate: Bool) -> [Double] {
        againstLearningRate ? learningRates : iterations.map(Double.init)
    }
}
