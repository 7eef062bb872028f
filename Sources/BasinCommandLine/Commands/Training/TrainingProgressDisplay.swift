import BasinCheckpoint
import BasinTraining

/// Shows a training run on stderr: a progress bar (or periodic lines) with the smoothed
/// batch loss and the learning rate, and one note per evaluation, cycle end and snapshot.
final class TrainingProgressDisplay {
    private let reporter: ProgressReporter
    private let task: ProgressTask
    private var smoothedLoss = DebiasedMovingAverage(smoothingFactor: 0.98)

    /// - Parameters:
    ///   - total: steps of the whole run; `completed` of them are already done.
    init(reporter: ProgressReporter, total: Int, completed: Int) {
        self.reporter = reporter
        task = reporter.start("train", total: max(total - completed, 0), unit: "step")
    }

    func show(_ event: TrainingEvent, writer: RunWriter) {
        switch event {
        case .iterationCompleted(let record):
            let loss = smoothedLoss.adding(record.loss)
            // The detail text is rebuilt every few steps; the bar redraws at most ten times a
            // second anyway.
            let detail =
                record.iteration % 8 == 0
                ? "loss \(shortNumber(loss)) lr \(shortNumber(record.learningRate))" : nil
            task.advance(detail: detail)
        case .evaluated(let record):
            var line =
                "epoch \(record.epoch)\(record.endsEpoch ? "" : "+") (step \(record.iteration)): "
                + "train loss \(shortNumber(record.train.loss)), accuracy "
                + percent(record.train.accuracy) + "; test loss \(shortNumber(record.test.loss)), "
                + "accuracy " + percent(record.test.accuracy)
            if let validation = record.validation {
                line +=
                    "; validation loss \(shortNumber(validation.loss)), accuracy "
                    + percent(validation.accuracy)
            }
            reporter.note(line)
        case .cycleEnded(let end):
            reporter.note(
                "cycle \(end.cycle) ended after \(end.iteration) steps: "
                    + (writer.lastCheckpoint?.file ?? ""))
        case .finished, .paused:
            task.finish()
        case .diverged:
            task.finish(detail: "diverged")
        case .started, .resumed, .snapshotDue:
            break
        }
    }

    private func percent(_ fraction: Double) -> String {
        fraction.isFinite ? String(format: "%.2f%%", 100 * fraction) : "nan"
    }
}
