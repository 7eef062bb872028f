import Foundation

/// The measured numbers that the demo's opening summary is written from.
public struct DemoFindings: Sendable, Codable, Equatable {
    /// One interpolated pair: its name and the test-loss barrier B_max per BatchNorm mode,
    /// with the loss at the two ends (for scale).
    public struct Pair: Sendable, Codable, Equatable {
        public var name: String
        public var barrierByMode: [InterpolationBatchNormMode: Double]
        public var startLoss: Double
        public var endLoss: Double
        /// Interpolated running variances that went negative anywhere on the line (mode
        /// `interp`).
        public var negativeVarianceCount: Int

        public init(
            name: String, barrierByMode: [InterpolationBatchNormMode: Double], startLoss: Double,
            endLoss: Double, negativeVarianceCount: Int = 0
        ) {
            self.name = name
            self.barrierByMode = barrierByMode
            self.startLoss = startLoss
            self.endLoss = endLoss
            self.negativeVarianceCount = negativeVarianceCount
        }
    }

    /// Pairs of consecutive cycle ends.
    public var cycleEndPairs: [Pair]
    /// A pair of checkpoints on one descending branch of one cycle.
    public var branchPair: Pair?
    /// Test-set disagreement between consecutive cycle ends, divided by their mean error.
    public var normalizedDisagreements: [Double]
    /// Test error of the best single cycle end and of the ensemble of all of them.
    public var bestSingleError: Double
    public var ensembleError: Double
    /// λ_max·η/2 at each checkpoint along the run: 1 is the stability bound of plain
    /// gradient descent, 1 + μ that of heavy-ball momentum.
    public var curvatureRatios: [Double]
    /// The momentum in force at each of those checkpoints.
    public var momenta: [Double]

    public init(
        cycleEndPairs: [Pair], branchPair: Pair?, normalizedDisagreements: [Double],
        bestSingleError: Double, ensembleError: Double, curvatureRatios: [Double],
        momenta: [Double]
    ) {
        self.cycleEndPairs = cycleEndPairs
        self.branchPair = branchPair
        self.normalizedDisagreements = normalizedDisagreements
        self.bestSingleError = bestSingleError
        self.ensembleError = ensembleError
        self.curvatureRatios = curvatureRatios
        self.momenta = momenta
    }

}

/// Writes the demo's opening paragraph from measured numbers, never from canned verdicts:
/// each sentence is chosen by a stated threshold and quotes the numbers behind it.
public enum DemoSummary {
    /// A barrier counts when B_max on the test loss exceeds this many nats. Smith and
    /// Topin's barrier between cycle ends was about 1.6 nats on CIFAR-10; rounding noise on
    /// a 2,000-image test set is below 0.01.
    public static let barrierThreshold = 0.05

    /// The paragraph's sentences, in reading order.
    public static func sentences(_ findings: DemoFindings) -> [String] {
        var result: [String] = []
        result.append(minimaSentence(findings))
        if let modes = modeSentence(findings) { result.append(modes) }
        if let branch = branchSentence(findings) { result.append(branch) }
        result.append(functionSentence(findings))
        if let curvature = curvatureSentence(findings) { result.append(curvature) }
        return result
    }

    /// The verdict on the cycle ends, from the barriers with recomputed statistics.
    static func minimaSentence(_ findings: DemoFindings) -> String {
        let barriers = findings.cycleEndPairs.compactMap { $0.barrierByMode[.reset] }
        guard !barriers.isEmpty else {
            return "No pair of cycle ends was interpolated, so the run says nothing about minima."
        }
        let separated = barriers.filter { $0 > barrierThreshold }.count
        let range = "B_max from \(format(barriers.min()!)) to \(format(barriers.max()!)) nats"
        if separated == barriers.count {
            return "Every pair of consecutive cycle ends is separated by a loss barrier "
                + "(\(range) with recomputed BatchNorm statistics): the cycles ended in "
                + "different minima."
        }
        if separated == 0 {
            return "No pair of consecutive cycle ends is separated by a barrier above "
                + "\(format(barrierThreshold)) nats (\(range) with recomputed BatchNorm "
                + "statistics): the cycles ended in one linearly connected basin."
        }
        return "\(separated) of \(barriers.count) pairs of consecutive cycle ends are separated "
            + "by a barrier above \(format(barrierThreshold)) nats (\(range) with recomputed "
            + "BatchNorm statistics): some cycles left their minimum and some did not."
    }

    /// How the BatchNorm treatment changes the barrier.
    static func modeSentence(_ findings: DemoFindings) -> String? {
        var means: [(InterpolationBatchNormMode, Double)] = []
        for mode in InterpolationBatchNormMode.allCases {
            let values = findings.cycleEndPairs.compactMap { $0.barrierByMode[mode] }
                .filter(\.isFinite)
            if !values.isEmpty { means.append((mode, values.reduce(0, +) / Double(values.count))) }
        }
        guard means.count >= 2 else { return nil }
        let sorted = means.sorted { $0.1 > $1.1 }
        let listing = sorted.map { "\($0.0.rawValue) \(format($0.1))" }.joined(separator: ", ")
        var sentence: String
        if sorted[0].1 - sorted[sorted.count - 1].1 <= barrierThreshold {
            sentence =
                "The BatchNorm treatment does not change this: the mean barriers are "
                + "within \(format(barrierThreshold)) nats of each other (\(listing) nats)."
        } else {
            sentence =
                "The BatchNorm treatment matters: the mean barrier is largest with "
                + "\(sorted[0].0.rawValue) statistics (\(listing) nats)."
        }
        let negatives = findings.cycleEndPairs.reduce(0) { $0 + $1.negativeVarianceCount }
        if negatives > 0 {
            sentence +=
                " Interpolated running variances went negative at \(negatives) "
                + "place\(negatives == 1 ? "" : "s") outside [0, 1], which is where such "
                + "curves turn NaN."
        }
        return sentence
    }

    /// The control: two checkpoints on one descending branch.
    static func branchSentence(_ findings: DemoFindings) -> String? {
        guard let branch = findings.branchPair, let barrier = branch.barrierByMode[.reset] else {
            return nil
        }
        let cycleBarriers = findings.cycleEndPairs.compactMap { $0.barrierByMode[.reset] }
        let meanCycle =
            cycleBarriers.isEmpty
            ? Double.nan : cycleBarriers.reduce(0, +) / Double(cycleBarriers.count)
        if barrier > barrierThreshold {
            return "Even two checkpoints on one descending branch are separated "
                + "(B_max \(format(barrier)) nats), so a barrier here does not need a restart."
        }
        return "Two checkpoints on one descending branch show no barrier (B_max "
            + "\(format(barrier)) nats against \(format(meanCycle)) between cycle ends), the "
            + "pattern a reproduction sees when it interpolates within one cycle."
    }

    /// Function space: disagreement and the snapshot ensemble.
    static func functionSentence(_ findings: DemoFindings) -> String {
        let finite = findings.normalizedDisagreements.filter(\.isFinite)
        let disagreement = finite.isEmpty ? Double.nan : finite.reduce(0, +) / Double(finite.count)
        let gain = findings.bestSingleError - findings.ensembleError
        let ensemble: String
        if gain > 0.002 {
            ensemble =
                "the ensemble of all cycle ends errs on \(percent(findings.ensembleError)) "
                + "of the test images against \(percent(findings.bestSingleError)) for the best "
                + "single one"
        } else {
            ensemble =
                "the ensemble of all cycle ends is no better than the best single one "
                + "(\(percent(findings.ensembleError)) against "
                + "\(percent(findings.bestSingleError)) test error)"
        }
        return "Consecutive cycle ends disagree on \(format(disagreement)) times as many test "
            + "images as they misclassify on average, and \(ensemble)."
    }

    /// Curvature against the stability bound of the rate in force.
    static func curvatureSentence(_ findings: DemoFindings) -> String? {
        let ratios = findings.curvatureRatios.filter(\.isFinite)
        guard !ratios.isEmpty else { return nil }
        let above = zip(findings.curvatureRatios, findings.momenta).filter { ratio, momentum in
            ratio.isFinite && ratio >= 1 + momentum
        }.count
        let peak = ratios.max()!
        let bound =
            "λ_max·η/2 peaks at \(format(peak)) (1 is the bound 2/η of plain gradient "
            + "descent, 1 + μ that of momentum)"
        if above > 0 {
            return "The curvature reached the stability bound of the rate in force at \(above) "
                + "of \(ratios.count) checkpoints: \(bound)."
        }
        return "The curvature stayed below the momentum stability bound at all \(ratios.count) "
            + "checkpoints: \(bound)."
    }

    /// A measured number in running text: two decimals from 0.1 up, fewer above 10, and two
    /// significant digits below 0.1, so that a barrier of 0.004 nats does not read as zero.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        let magnitude = abs(value)
        if magnitude == 0 || magnitude >= 0.1 {
            let pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f"
            return String(format: pattern, value)
        }
        if magnitude < 1e-3 { return String(format: "%.1e", value) }
        let decimals = 1 - Int(floor(log10(magnitude)))
        return String(format: "%.\(decimals)f", value)
    }

    public static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }
}
