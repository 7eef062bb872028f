import BasinNetwork

/// Pairwise comparison of several checkpoints of one run, usually the ends of its cycles:
/// the barrier on the straight line between every pair, their distance in weight space,
/// how often their test predictions differ, and how a snapshot ensemble of the first k of
/// them performs. Together these are the evidence for or against "the cycles found
/// different minima".
public struct BarrierMatrix: Sendable, Codable {
    /// The barriers of one pair on one split.
    public struct SplitBarrier: Sendable, Codable {
        public var split: String
        public var loss: BarrierHeights
        public var error: BarrierHeights
    }

    /// One pair i < j.
    public struct Pair: Sendable, Codable {
        public var first: Int
        public var second: Int
        /// The barriers on the test split.
        public var lossBarrier: BarrierHeights
        public var errorBarrier: BarrierHeights
        /// The barriers on every evaluated split, test first.
        public var splitBarriers: [SplitBarrier]
        public var distance: WeightDistance
        /// The fraction of test examples on which the two predict different classes.
        public var disagreement: Double
        /// `disagreement` divided by the mean of the two test errors: about 1 or more means
        /// they err on different examples as often as they err at all (Fort et al. 2019).
        public var normalizedDisagreement: Double
    }

    /// The snapshot ensemble of the first `memberCount` checkpoints (averaged softmax).
    public struct EnsembleResult: Sendable, Codable {
        public var memberCount: Int
        public var loss: Double
        public var error: Double
    }

    public var names: [String]
    public var mode: InterpolationBatchNormMode
    public var split: String
    /// Each checkpoint's own test loss and error (running statistics as saved).
    public var individual: [LossAndError]
    public var pairs: [Pair]
    public var ensembles: [EnsembleResult]

    /// The matrix of `pairs` for one quantity, symmetric, NaN on the diagonal.
    public func matrix(_ value: (Pair) -> Double) -> [[Double]] {
        var result = Array(
            repeating: Array(repeating: Double.nan, count: names.count), count: names.count)
        for pair in pairs {
            result[pair.first][pair.second] = value(pair)
            result[pair.second][pair.first] = value(pair)
        }
        return result
    }
}

extension BarrierMatrix {
    /// Computes the matrix over `models` (named by `names`) on `test` (and the barriers also
    /// on `train` when given) with interpolation `grid` in BatchNorm `mode`;
    /// `statisticsImages` serves mode `reset`. Disagreement and ensembles use the models'
    /// saved running statistics on `test`.
    ///
    /// - Parameter progress: called before each pair with its indices and the pair count.
    /// - Throws: `AnalysisError` when fewer than two models are given or they differ.
    public init(
        models: [Model], names: [String], test: EvaluationSet, train: EvaluationSet? = nil,
        statisticsImages: EvaluationSet, mode: InterpolationBatchNormMode = .reset,
        grid: AlphaGrid = AlphaGrid(start: 0, end: 1, count: 11), concurrentPointCount: Int = 1,
        progress: (_ first: Int, _ second: Int, _ pairCount: Int) -> Void = { _, _, _ in }
    ) throws(AnalysisError) {
        guard models.count >= 2, models.count == names.count else {
            throw .invalidArgument(
                "barriers need at least two checkpoints with names; got \(models.count)")
        }
        for index in 1..<models.count {
            try requireSameModel(models[0], models[index], names: (names[0], names[index]))
        }
        self.names = names
        self.mode = mode
        split = test.name

        // Each checkpoint alone: its predictions and its softmax for the ensembles.
        let classCount = models[0].classCount
        let labels = test.labels
        let logits = models.map { $0.logits(test, mode: .running) }
        let predictions = logits.map {
            PredictionComparison.predictedClasses(logits: $0, classCount: classCount)
        }
        individual = models.map { $0.evaluate(test, mode: .running) }

        // Every pair: the barrier along the line, the distance, the disagreement.
        var pairs: [Pair] = []
        let pairCount = models.count * (models.count - 1) / 2
        for first in 0..<models.count {
            for second in (first + 1)..<models.count {
                progress(first, second, pairCount)
                let interpolator = try Interpolator(
                    start: models[first], end: models[second],
                    evaluationSets: [test] + (train.map { [$0] } ?? []),
                    statisticsImages: statisticsImages, startName: names[first],
                    endName: names[second], concurrentPointCount: concurrentPointCount)
                let curves = interpolator.curves(mode: mode, grid: grid)
                let curve = curves[0]
                let disagreement = PredictionComparison.disagreement(
                    predictions[first], predictions[second])
                let meanError = (individual[first].error + individual[second].error) / 2
                pairs.append(
                    Pair(
                        first: first, second: second, lossBarrier: curve.lossBarrier,
                        errorBarrier: curve.errorBarrier,
                        splitBarriers: curves.map {
                            SplitBarrier(
                                split: $0.split, loss: $0.lossBarrier, error: $0.errorBarrier)
                        },
                        distance: WeightDistance(
                            models[first].parameters, models[second].parameters,
                            slices: models[first].parameterLayout.map { ($0.name, $0.range) }),
                        disagreement: disagreement,
                        normalizedDisagreement: meanError > 0 ? disagreement / meanError : .nan))
            }
        }
        self.pairs = pairs

        // Snapshot ensembles of the first k checkpoints.
        var summed = [Double](repeating: 0, count: labels.count * classCount)
        var ensembles: [EnsembleResult] = []
        for (index, memberLogits) in logits.enumerated() {
            let probabilities = PredictionComparison.probabilities(
                logits: memberLogits, classCount: classCount)
            for position in summed.indices { summed[position] += probabilities[position] }
            let average = summed.map { $0 / Double(index + 1) }
            let result = PredictionComparison.lossAndError(
                probabilities: average, labels: labels, classCount: classCount)
            ensembles.append(
                EnsembleResult(memberCount: index + 1, loss: result.loss, error: result.error))
        }
        self.ensembles = ensembles
    }
}
