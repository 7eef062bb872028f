import BasinCheckpoint
import BasinNetwork

/// Loss and error of one model on one named split.
public struct SplitResult: Equatable, Sendable, Codable {
    public var split: String
    public var loss: Double
    public var error: Double

    public init(split: String, result: LossAndError) {
        self.split = split
        loss = result.loss
        error = result.error
    }
}

/// Whether a checkpoint's weights reproduce the test metrics recorded in its metadata.
///
/// Two file names for the same weights (a copy saved under the wrong cycle, a state dict
/// aliased in memory before saving) show up here: the weights evaluate to the other
/// file's numbers. The check needs the metadata's test loss and an evaluation on the same
/// whole test split.
public struct MetricCheck: Equatable, Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case match
        case mismatch
        /// The metadata records no test loss.
        case notRecorded = "not recorded"
        /// The evaluation was not on the data the metrics were recorded on.
        case notComparable = "not comparable"
    }

    public var status: Status
    public var recordedLoss: Double?
    public var evaluatedLoss: Double?
    public var recordedError: Double?
    public var evaluatedError: Double?

    /// Losses within 1e-3 absolute plus 1e-3 relative, and errors within 1e-3 plus half an
    /// example, count as a match: the recording may have summed batches in another order
    /// or size, which moves a Float mean by far less.
    public init(
        metadata: CheckpointMetadata, evaluatedTest: LossAndError?, testExampleCount: Int
    ) {
        recordedLoss = metadata.testLoss
        recordedError = metadata.testAccuracy.map { 1 - $0 }
        evaluatedLoss = evaluatedTest?.loss
        evaluatedError = evaluatedTest?.error
        guard let recorded = metadata.testLoss else {
            status = .notRecorded
            return
        }
        guard let evaluated = evaluatedTest else {
            status = .notComparable
            return
        }
        var agrees = abs(evaluated.loss - recorded) <= 1e-3 + 1e-3 * abs(recorded)
        if let recordedError {
            let halfExample = 0.5 / Double(max(testExampleCount, 1))
            agrees = agrees && abs(evaluated.error - recordedError) <= 1e-3 + halfExample
        }
        status = agrees ? .match : .mismatch
    }
}

/// What one end of an interpolation is: its file, where it sits in training (from its
/// metadata, nil where absent), its own evaluation and the metric check.
public struct EndpointSummary: Equatable, Sendable, Codable {
    public var name: String
    public var path: String
    public var kind: String?
    public var iteration: Int?
    public var epoch: Int?
    public var cycle: Int?
    public var learningRate: Double?
    public var momentum: Double?
    public var architecture: String
    public var modelFrom: String
    /// The model evaluated with its saved running statistics on every split.
    public var evaluation: [SplitResult]
    public var metricCheck: MetricCheck

    /// - Parameters:
    ///   - evaluation: the end's own results, one per split, in running mode.
    ///   - testComparable: whether the split named `test` is the whole test split of the
    ///     data set the metadata's metrics were recorded on.
    public init(
        checkpoint: AnalysisCheckpoint, evaluation: [SplitResult], testComparable: Bool,
        testExampleCount: Int
    ) {
        let metadata = checkpoint.metadata
        name = checkpoint.name
        path = checkpoint.url.path
        kind = metadata.kind?.rawValue
        iteration = metadata.iteration
        epoch = metadata.epoch
        cycle = metadata.cycle
        learningRate = metadata.learningRate
        momentum = metadata.momentum
        architecture = checkpoint.model.architecture.rawValue
        modelFrom = checkpoint.specificationSource
        self.evaluation = evaluation
        let test = evaluation.first { $0.split == "test" }
        metricCheck = MetricCheck(
            metadata: metadata,
            evaluatedTest: testComparable
                ? test.map { LossAndError(loss: $0.loss, error: $0.error) } : nil,
            testExampleCount: testExampleCount)
    }

    /// One line for the terminal: `cycle-002 (iteration 4000, cycle 2, lr 0.01)`.
    public var headline: String {
        var parts: [String] = []
        if let iteration { parts.append("iteration \(iteration)") }
        if let cycle { parts.append("cycle \(cycle)") }
        if let learningRate { parts.append("lr \(learningRate)") }
        return parts.isEmpty ? name : "\(name) (\(parts.joined(separator: ", ")))"
    }
}
