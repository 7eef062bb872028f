import BasinKernels
import BasinNetwork

/// How BatchNorm is treated at each point θ(α) of an interpolation. The modes key JSON
/// objects by name (`CodingKeyRepresentable`), so that a dictionary keyed by mode is
/// written as an object in a fixed order, not as a list of pairs in hash order.
public enum InterpolationBatchNormMode: String, CaseIterable, Codable, CodingKeyRepresentable,
    Sendable
{
    /// Running statistics interpolated like the weights, evaluation in running mode (Li et
    /// al. 2018; the community reproductions). Extrapolated variances can go negative.
    case interp
    /// Running statistics recomputed for θ(α) on fixed training images, then running mode.
    case reset
    /// Batch statistics of each fixed evaluation batch (Caffe's behaviour in Smith & Topin).
    case batch
}

/// One evaluated point of an interpolation curve.
public struct InterpolationPoint: Equatable, Sendable, Codable {
    public var alpha: Double
    public var loss: Double
    public var error: Double
    /// Interpolated running variances below zero at this α (mode `interp` only).
    public var negativeVarianceCount: Int
}

/// The result of evaluating one θ(α): loss and error on every evaluation set, in the order
/// the interpolator holds them.
public struct PointEvaluation: Equatable, Sendable {
    public var results: [LossAndError]
    /// Interpolated running variances below zero (mode `interp` only; 0 otherwise). With
    /// any, BatchNorm would divide by √(negative + ε), so the point is not evaluated and
    /// its loss and error are NaN: the count says why, instead of leaving an unexplained
    /// gap in the curve. Only extrapolation (α < 0 or α > 1) can make a variance negative.
    public var negativeVarianceCount: Int
}

/// The curve of one split in one BatchNorm mode, with its barriers.
public struct InterpolationCurve: Sendable, Codable {
    public var split: String
    public var mode: InterpolationBatchNormMode
    public var points: [InterpolationPoint]
    public var lossBarrier: BarrierHeights
    public var errorBarrier: BarrierHeights

    init(split: String, mode: InterpolationBatchNormMode, points: [InterpolationPoint]) {
        self.split = split
        self.mode = mode
        self.points = points.sorted { $0.alpha < $1.alpha }
        let alphas = self.points.map(\.alpha)
        lossBarrier = BarrierHeights(alphas: alphas, values: self.points.map(\.loss))
        errorBarrier = BarrierHeights(alphas: alphas, values: self.points.map(\.error))
    }

    /// The same curve under another mode's name: for a model without BatchNorm the three
    /// modes evaluate the same function, so one evaluation serves them all.
    public func relabeled(as mode: InterpolationBatchNormMode) -> InterpolationCurve {
        var copy = self
        copy.mode = mode
        return copy
    }

    /// The largest count of negative interpolated variances at any point of the curve.
    public var largestNegativeVarianceCount: Int {
        points.map(\.negativeVarianceCount).max() ?? 0
    }
}

/// Evaluates θ(α) = (1 − α)·θ_A + α·θ_B between two models of the same architecture.
///
/// Every point uses the same fixed evaluation batches, so differences along α come from
/// the weights alone. The two end models are not changed; working copies are, and their
/// parameter vectors are overwritten in place at each point rather than reallocated.
///
/// With `concurrentPointCount` > 1, that many copies evaluate different α at the same
/// time. The kernels thread inside each pass as well; which split of the cores is faster
/// depends on the batch size and the model (small batches leave the kernels' threads
/// idle), so the command line measures and chooses.
public final class Interpolator {
    public let start: Model
    public let end: Model
    public let evaluationSets: [EvaluationSet]
    /// The training images on which mode `reset` recomputes the running statistics.
    public let statisticsImages: EvaluationSet
    /// How many α points are evaluated at the same time, each on its own model copy.
    public let concurrentPointCount: Int
    private let workers: [Model]

    /// - Throws: `AnalysisError.mismatchedModels` when the two models differ in
    ///   architecture, input shape, class count or parameter layout.
    /// - Precondition: `concurrentPointCount ≥ 1`.
    public init(
        start: Model, end: Model, evaluationSets: [EvaluationSet], statisticsImages: EvaluationSet,
        startName: String = "A", endName: String = "B", concurrentPointCount: Int = 1
    ) throws(AnalysisError) {
        precondition(
            concurrentPointCount >= 1,
            "concurrentPointCount must be ≥ 1, got \(concurrentPointCount)")
        try requireSameModel(start, end, names: (startName, endName))
        self.start = start
        self.end = end
        self.evaluationSets = evaluationSets
        self.statisticsImages = statisticsImages
        self.concurrentPointCount = concurrentPointCount
        workers = (0..<concurrentPointCount).map { _ in start.copy() }
    }

    /// Whether the models have BatchNorm layers; without them the three modes coincide.
    public var hasBatchNorm: Bool { !start.runningStatistics.isEmpty }

    /// Loss and error of every evaluation set at `alpha` in `mode`, and the count of
    /// negative interpolated variances (always 0 outside mode `interp`).
    public func evaluate(alpha: Double, mode: InterpolationBatchNormMode) -> PointEvaluation {
        evaluate(alpha: alpha, mode: mode, on: workers[0])
    }

    /// The points `alphas` in `mode`, in the same order, spread over the working copies;
    /// `progress` is called on the calling thread with the count finished so far.
    public func evaluate(
        alphas: [Double], mode: InterpolationBatchNormMode, progress: (Int) -> Void = { _ in }
    ) -> [PointEvaluation] {
        var results = [PointEvaluation?](repeating: nil, count: alphas.count)
        // Rounds of one point per copy keep the progress reports on this thread.
        for roundStart in stride(from: 0, to: alphas.count, by: workers.count) {
            let round = roundStart..<min(roundStart + workers.count, alphas.count)
            if round.count == 1 {
                results[round.lowerBound] = evaluate(
                    alpha: alphas[round.lowerBound], mode: mode, on: workers[0])
            } else {
                var roundResults = [PointEvaluation?](repeating: nil, count: round.count)
                roundResults.withUnsafeMutableBufferPointer { slots in
                    let slotsBase = slots.baseAddress!
                    Parallelism.forEach(round.count) { offset in
                        slotsBase[offset] = evaluate(
                            alpha: alphas[round.lowerBound + offset], mode: mode,
                            on: workers[offset])
                    }
                }
                for (offset, result) in roundResults.enumerated() {
                    results[round.lowerBound + offset] = result
                }
            }
            progress(round.upperBound)
        }
        return results.map { $0! }
    }

    /// The curves of every evaluation set in `mode` over `grid`, refined around the largest
    /// loss of the first set inside [0, 1] when `refine` is true. `progress` receives the
    /// fraction of the grid done (refinement points are not counted).
    public func curves(
        mode: InterpolationBatchNormMode, grid: AlphaGrid, refine: Bool = true,
        progress: (Double) -> Void = { _ in }
    ) -> [InterpolationCurve] {
        let alphas = grid.points
        let gridResults = evaluate(alphas: alphas, mode: mode) { done in
            progress(Double(done) / Double(alphas.count))
        }
        var evaluated = Dictionary(uniqueKeysWithValues: zip(alphas, gridResults))
        if refine {
            let firstLoss = { (alpha: Double) in evaluated[alpha]!.results[0].loss }
            _ = refineAroundInteriorMaximum(alphas: alphas, values: alphas.map(firstLoss)) {
                alpha in
                let result = evaluate(alpha: alpha, mode: mode)
                evaluated[alpha] = result
                return result.results[0].loss
            }
        }
        let ordered = evaluated.keys.sorted()
        return evaluationSets.indices.map { setIndex in
            let points = ordered.map { alpha in
                let point = evaluated[alpha]!
                return InterpolationPoint(
                    alpha: alpha, loss: point.results[setIndex].loss,
                    error: point.results[setIndex].error,
                    negativeVarianceCount: point.negativeVarianceCount)
            }
            return InterpolationCurve(
                split: evaluationSets[setIndex].name, mode: mode, points: points)
        }
    }

    /// Sets `work` to θ(α) (and, in mode `interp`, the interpolated running statistics),
    /// then evaluates every set.
    private func evaluate(alpha: Double, mode: InterpolationBatchNormMode, on work: Model)
        -> PointEvaluation
    {
        Self.blend(start.parameters, end.parameters, alpha: alpha, into: &work.parameters)
        var negativeVariances = 0
        let evaluationMode: BatchNormMode
        switch mode {
        case .interp:
            Self.blend(
                start.runningStatistics, end.runningStatistics, alpha: alpha,
                into: &work.runningStatistics)
            negativeVariances = negativeVarianceCount(in: work)
            if negativeVariances > 0 {
                // BatchNorm would divide by √(negative + ε): NaN activations, which a ReLU
                // (y = x > 0 ? x : 0) turns into zeros, giving a finite but meaningless
                // loss. The point is reported as NaN instead, as PyTorch would give it.
                let undefined = LossAndError(loss: .nan, error: .nan)
                return PointEvaluation(
                    results: evaluationSets.map { _ in undefined },
                    negativeVarianceCount: negativeVariances)
            }
            evaluationMode = .running
        case .reset:
            work.recomputeRunningStatistics(on: statisticsImages)
            evaluationMode = .running
        case .batch:
            evaluationMode = .batch
        }
        return PointEvaluation(
            results: evaluationSets.map { work.evaluate($0, mode: evaluationMode) },
            negativeVarianceCount: negativeVariances)
    }

    /// (1 − α)·a + α·b, exact at α = 0 and α = 1 so the ends reproduce their own evaluation.
    static func blend(_ a: [Float], _ b: [Float], alpha: Double) -> [Float] {
        var result = [Float](repeating: 0, count: a.count)
        blend(a, b, alpha: alpha, into: &result)
        return result
    }

    /// Writes (1 − α)·a + α·b into `result` without allocating, in Double per element so
    /// that the rounding is that of the final Float only; α = 0 and 1 copy an end exactly.
    /// - Precondition: the three have the same count.
    static func blend(_ a: [Float], _ b: [Float], alpha: Double, into result: inout [Float]) {
        precondition(
            a.count == b.count && a.count == result.count,
            "blend of \(a.count) and \(b.count) values into \(result.count)")
        if alpha == 0 || alpha == 1 {
            let source = alpha == 0 ? a : b
            result.withUnsafeMutableBufferPointer { output in
                source.withUnsafeBufferPointer {
                    output.baseAddress!.update(from: $0.baseAddress!, count: $0.count)
                }
            }
            return
        }
        let weightA = 1 - alpha
        result.withUnsafeMutableBufferPointer { output in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    for index in 0..<output.count {
                        output[index] = Float(weightA * Double(x[index]) + alpha * Double(y[index]))
                    }
                }
            }
        }
    }

    private func negativeVarianceCount(in model: Model) -> Int {
        var count = 0
        for slice in model.runningStatisticsLayout where slice.role == .runningVariance {
            count += model.runningStatistics[slice.range].reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        }
        return count
    }
}

/// Throws unless the two models have the same architecture, input shape, classes and
/// parameter layout.
public func requireSameModel(_ a: Model, _ b: Model, names: (String, String)) throws(AnalysisError)
{
    let describe = { (model: Model) in
        "\(model.architecture.rawValue) on \(model.inputShape.channels)×\(model.inputShape.height)"
            + "×\(model.inputShape.width) with \(model.classCount) classes"
    }
    guard a.architecture == b.architecture, a.inputShape == b.inputShape,
        a.classCount == b.classCount, a.parameterCount == b.parameterCount
    else {
        throw .mismatchedModels(
            "\(names.0) is \(describe(a)) but \(names.1) is \(describe(b)); "
                + "interpolation needs two checkpoints of the same model")
    }
}
