import BasinKernels
import BasinNetwork

/// How BatchNorm is treated at each point θ(α) of an interpolation.
public enum InterpolationBatchNormMode: String, CaseIterable, Codable, Sendable {
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
}

/// Evaluates θ(α) = (1 − α)·θ_A + α·θ_B between two models of the same architecture.
///
/// Every point uses the same fixed evaluation batches, so differences along α come from
/// the weights alone. The two end models are not changed; one working copy is.
public final class Interpolator {
    public let start: Model
    public let end: Model
    public let evaluationSets: [EvaluationSet]
    /// The training images on which mode `reset` recomputes the running statistics.
    public let statisticsImages: EvaluationSet
    private let work: Model

    /// - Throws: `AnalysisError.mismatchedModels` when the two models differ in
    ///   architecture, input shape, class count or parameter layout.
    public init(
        start: Model, end: Model, evaluationSets: [EvaluationSet], statisticsImages: EvaluationSet,
        startName: String = "A", endName: String = "B"
    ) throws(AnalysisError) {
        try requireSameModel(start, end, names: (startName, endName))
        self.start = start
        self.end = end
        self.evaluationSets = evaluationSets
        self.statisticsImages = statisticsImages
        work = start.copy()
    }

    /// Loss and error of every evaluation set at `alpha` in `mode`, and the count of
    /// negative interpolated variances (always 0 outside mode `interp`).
    public func evaluate(alpha: Double, mode: InterpolationBatchNormMode) -> (
        results: [LossAndError], negativeVarianceCount: Int
    ) {
        work.parameters = Self.blend(start.parameters, end.parameters, alpha: alpha)
        var negativeVariances = 0
        let evaluationMode: BatchNormMode
        switch mode {
        case .interp:
            work.runningStatistics = Self.blend(
                start.runningStatistics, end.runningStatistics, alpha: alpha)
            negativeVariances = negativeVarianceCount(in: work)
            evaluationMode = .running
        case .reset:
            work.recomputeRunningStatistics(on: statisticsImages)
            evaluationMode = .running
        case .batch:
            evaluationMode = .batch
        }
        return (evaluationSets.map { work.evaluate($0, mode: evaluationMode) }, negativeVariances)
    }

    /// The curves of every evaluation set in `mode` over `grid`, refined around the largest
    /// loss of the first set inside [0, 1] when `refine` is true.
    public func curves(
        mode: InterpolationBatchNormMode, grid: AlphaGrid, refine: Bool = true,
        progress: (Double) -> Void = { _ in }
    ) -> [InterpolationCurve] {
        var evaluated: [Double: ([LossAndError], Int)] = [:]
        let alphas = grid.points
        for (index, alpha) in alphas.enumerated() {
            evaluated[alpha] = evaluate(alpha: alpha, mode: mode)
            progress(Double(index + 1) / Double(alphas.count))
        }
        if refine {
            let firstLoss = { (alpha: Double) in evaluated[alpha]!.0[0].loss }
            _ = refineAroundInteriorMaximum(alphas: alphas, values: alphas.map(firstLoss)) {
                alpha in
                let result = evaluate(alpha: alpha, mode: mode)
                evaluated[alpha] = result
                return result.0[0].loss
            }
        }
        let ordered = evaluated.keys.sorted()
        return evaluationSets.indices.map { setIndex in
            let points = ordered.map { alpha in
                let (results, negatives) = evaluated[alpha]!
                return InterpolationPoint(
                    alpha: alpha, loss: results[setIndex].loss, error: results[setIndex].error,
                    negativeVarianceCount: negatives)
            }
            return InterpolationCurve(
                split: evaluationSets[setIndex].name, mode: mode, points: points)
        }
    }

    /// (1 − α)·a + α·b, exact at α = 0 and α = 1 so the ends reproduce their own evaluation.
    static func blend(_ a: [Float], _ b: [Float], alpha: Double) -> [Float] {
        if alpha == 0 { return a }
        if alpha == 1 { return b }
        return Vector.interpolated(a, b, alpha: alpha)
    }

    private func negativeVarianceCount(in model: Model) -> Int {
        var count = 0
        for slice in model.runningStatisticsLayout where slice.name.hasSuffix("running_var") {
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
