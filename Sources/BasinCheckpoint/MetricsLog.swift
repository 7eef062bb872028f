import BasinTraining
import Foundation

/// `metrics.csv` of a run: one row per optimizer step and one per evaluation, in the order
/// they happened, under one header:
///
///     kind,iteration,epoch,lr,momentum,loss,accuracy,train_loss,train_accuracy,
///     test_loss,test_accuracy,validation_loss,validation_accuracy
///
/// - `kind = iteration`: `iteration` is the 0-based step, `epoch` the 0-based epoch of its
///   batch, `lr` and `momentum` the values the step used, `loss` and `accuracy` those of
///   its batch before the step; the other cells are empty.
/// - `kind = evaluation`: `iteration` is the number of steps completed, `epoch` the number
///   of epochs completed; `train_*` are the batch metrics averaged since the previous
///   evaluation, `test_*` and `validation_*` the held-out metrics in running-statistics
///   mode (`validation_*` empty without a validation split).
///
/// Numbers are written in Swift's shortest round-trip form; lines end with CRLF (RFC 4180).
public struct MetricsLog: Equatable, Sendable {
    public static let fileName = "metrics.csv"
    public static let columns = [
        "kind", "iteration", "epoch", "lr", "momentum", "loss", "accuracy", "train_loss",
        "train_accuracy", "test_loss", "test_accuracy", "validation_loss", "validation_accuracy",
    ]

    /// One row, already rendered, with the position needed to cut the log on resume.
    struct Row: Equatable, Sendable {
        var isEvaluation: Bool
        var iteration: Int
        var text: String
    }

    private(set) var rows: [Row] = []

    public init() {}

    /// The number of rows (without the header).
    public var rowCount: Int { rows.count }

    public mutating func append(_ record: IterationRecord) {
        let cells = [
            "iteration", String(record.iteration), String(record.epoch),
            number(record.learningRate), number(record.momentum), number(record.loss),
            number(record.accuracy), "", "", "", "", "", "",
        ]
        rows.append(
            Row(
                isEvaluation: false, iteration: record.iteration, text: cells.joined(separator: ",")
            ))
    }

    public mutating func append(_ record: EvaluationRecord) {
        let cells = [
            "evaluation", String(record.iteration), String(record.epoch), "", "", "", "",
            number(record.train.loss), number(record.train.accuracy), number(record.test.loss),
            number(record.test.accuracy), record.validation.map { number($0.loss) } ?? "",
            record.validation.map { number($0.accuracy) } ?? "",
        ]
        rows.append(
            Row(isEvaluation: true, iteration: record.iteration, text: cells.joined(separator: ","))
        )
    }

    /// Drops every row that a run resumed after `completedIterations` steps will write
    /// again: steps from `completedIterations` on and evaluations after it.
    public mutating func truncate(toCompletedIterations completedIterations: Int) {
        rows.removeAll {
            $0.isEvaluation
                ? $0.iteration > completedIterations : $0.iteration >= completedIterations
        }
    }

    /// The file's text.
    public var text: String {
        ([Self.columns.joined(separator: ",")] + rows.map(\.text)).map { $0 + "\r\n" }.joined()
    }

    /// Writes the log atomically.
    /// - Throws: `CheckpointError.unwritableFile`.
    public func write(to url: URL) throws {
        do {
            try writeAtomically(text, to: url)
        } catch let error as FileWriteError {
            throw CheckpointError.unwritableFile(path: url.path, reason: error.reason)
        }
    }

    /// Reads a log that Basin wrote.
    /// - Throws: `CheckpointError.unreadableFile`, or `RunError.malformedMetrics` naming the
    ///   first line that is not a row of this layout.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw CheckpointError.unreadableFile(
                path: url.path, reason: (error as NSError).localizedDescription)
        }
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" }
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard lines.first == Self.columns.joined(separator: ",") else {
            throw RunError.malformedMetrics(path: url.path, line: 1, text: lines.first ?? "")
        }
        for (index, line) in lines.enumerated().dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == Self.columns.count, let iteration = Int(cells[1]),
                cells[0] == "iteration" || cells[0] == "evaluation"
            else {
                throw RunError.malformedMetrics(path: url.path, line: index + 1, text: line)
            }
            rows.append(
                Row(isEvaluation: cells[0] == "evaluation", iteration: iteration, text: line))
        }
    }
}

/// Swift's shortest round-trip text of a number (`0.1`, `1e-05`, `nan`).
private func number(_ value: Double) -> String {
    value.description
}
