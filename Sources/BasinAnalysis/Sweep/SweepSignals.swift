/// What the shape of a held-out loss curve says about a setting (Smith 2018, "A disciplined
/// approach to neural network hyper-parameters", §3): compared early, on the same axes.
public enum SweepSignal: String, Codable, Sendable, CaseIterable {
    /// The loss is still falling at the end: more capacity to fit is being used.
    case underfitting
    /// The loss reached a minimum and then rose.
    case overfitting
    /// The loss rose abruptly or became NaN or infinite.
    case instability
    /// The loss has levelled off: the horizontal part of the curve that tuning aims for.
    case flat
}

/// The rules that name a curve's signal; their thresholds are written into every report.
public struct SweepSignalRules: Codable, Sendable, Equatable {
    /// An increase between consecutive evaluations larger than this fraction of the running
    /// minimum is abrupt (instability).
    public var abruptRiseFraction = 0.5
    /// A final loss above the minimum by more than this fraction, with the minimum before
    /// the end, is a rise after a minimum (overfitting).
    public var riseFraction = 0.05
    /// A fall over the last quarter of the evaluations by more than this fraction of the
    /// loss at its start means the curve is still falling (underfitting).
    public var stillFallingFraction = 0.02
    /// Losses within this fraction of a curve's minimum count as its flat region.
    public var flatFraction = 0.05
    /// Two minima within this fraction of each other are tied when choosing the best point;
    /// the tie goes to the wider flat region.
    public var tieFraction = 0.02

    public init() {}

    /// The rules in words, for the report.
    public var explanation: [String] {
        [
            "instability: the loss is NaN or infinite, or rises between two evaluations by more "
                + "than \(percent(abruptRiseFraction)) of its lowest value so far; a rise while the "
                + "learning rate rises (a one-cycle or cyclical warm-up) is excused when the loss "
                + "later comes back within \(percent(riseFraction)) of that lowest value",
            "overfitting: the lowest loss comes before the last evaluation and the final loss is "
                + "more than \(percent(riseFraction)) above it",
            "underfitting: the loss fell by more than \(percent(stillFallingFraction)) over the last "
                + "quarter of the evaluations",
            "flat: none of the above",
            "flat region: the widest run of evaluations within \(percent(flatFraction)) of the "
                + "curve's minimum",
            "best point: the lowest minimum; minima within \(percent(tieFraction)) are tied and the "
                + "wider flat region wins",
        ]
    }

    /// The signal of a loss curve sampled at increasing positions (iterations or rates).
    ///
    /// `learningRates`, when given, holds the rate in force before each sample. A schedule
    /// that warms up (one-cycle, CLR) raises the loss on purpose; such a rise is unstable only
    /// if the loss never recovers from it. A rise while the rate is flat or falling, or one the
    /// curve never comes back from (a range test running into divergence), is instability.
    /// - Precondition: `learningRates` is nil or has one value per loss.
    public func signal(losses: [Double], learningRates: [Double]? = nil) -> SweepSignal {
        precondition(
            learningRates == nil || learningRates!.count == losses.count,
            "\(learningRates?.count ?? 0) learning rates for \(losses.count) losses")
        guard !losses.isEmpty else { return .flat }
        if losses.contains(where: { !$0.isFinite }) { return .instability }
        var lowest = losses[0]
        for index in losses.indices.dropFirst() {
            let (previous, next) = (losses[index - 1], losses[index])
            if next - previous > abruptRiseFraction * lowest {
                let warmingUp = learningRates.map { $0[index] > $0[index - 1] } ?? false
                let recovers = losses[(index + 1)...].contains { $0 <= lowest * (1 + riseFraction) }
                if !(warmingUp && recovers) { return .instability }
            }
            lowest = min(lowest, next)
        }
        let minimum = losses.min()!
        let minimumIndex = losses.firstIndex(of: minimum)!
        if minimumIndex < losses.count - 1, losses.last! > minimum * (1 + riseFraction) {
            return .overfitting
        }
        let quarterStart = losses[(losses.count * 3) / 4]
        if losses.count >= 4, quarterStart - losses.last! > stillFallingFraction * quarterStart {
            return .underfitting
        }
        return .flat
    }

    /// The widest run of consecutive samples within `flatFraction` of the minimum, as the
    /// distance between the first and last position of the run.
    public func flatWidth(positions: [Double], losses: [Double]) -> Double {
        precondition(positions.count == losses.count, "positions and losses differ in count")
        guard let minimum = losses.filter(\.isFinite).min() else { return 0 }
        let limit = minimum + abs(minimum) * flatFraction
        var best = 0.0
        var runStart: Int?
        for index in losses.indices {
            if losses[index].isFinite, losses[index] <= limit {
                let start = runStart ?? index
                runStart = start
                best = max(best, positions[index] - positions[start])
            } else {
                runStart = nil
            }
        }
        return best
    }
}

private func percent(_ fraction: Double) -> String {
    "\(formatSweepValue(fraction * 100))%"
}
