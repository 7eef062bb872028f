import Foundation

/// A learning rate read off a range test, with the rule that produced it.
public struct LearningRateSuggestion: Equatable, Sendable, Codable {
    /// `steepest`, `valley`, `minimum/10`, `smith-max-accuracy`, `smith-max-loss`,
    /// `smith-clr-min`, `smith-onecycle-min`.
    public var name: String
    public var learningRate: Double
    /// For a bound given as a range (Smith's minimum rates), its ends; nil otherwise.
    public var lowerLearningRate: Double?
    public var upperLearningRate: Double?
    /// How the rate was derived, in one sentence.
    public var derivation: String

    public init(
        name: String, learningRate: Double, lowerLearningRate: Double? = nil,
        upperLearningRate: Double? = nil, derivation: String
    ) {
        self.name = name
        self.learningRate = learningRate
        self.lowerLearningRate = lowerLearningRate
        self.upperLearningRate = upperLearningRate
        self.derivation = derivation
    }
}

/// The suggestions of `runRangeTest`, from the smoothed training losses and the held-out
/// measurements.
///
/// From the smoothed losses s_i at rates η_i, after dropping the first ⌊n/10⌋ and the
/// last 5 points and everything from the first non-finite loss on (as fastai does, so the
/// noisy start and the blow-up do not decide), keeping only η_i > 0:
/// - `steepest`: η_i at the most negative slope (s_{i+1} − s_i)/(ln η_{i+1} − ln η_i).
/// - `valley`: the middle of the longest decreasing subsequence of s (fastai's `valley`
///   rule, which lands in the descending stretch before the minimum).
/// - `minimum/10`: the rate at the smallest s, divided by 10.
///
/// From the held-out measurements (Smith 2017 §3.3, 2018 §4.1), when there are at least
/// three:
/// - `smith-max-accuracy`: the rate at the highest accuracy (where it stops rising).
/// - `smith-max-loss`: the rate at the lowest loss (where it starts rising).
/// - `smith-clr-min`: max/4 to max/3 for cyclical schedules, and `smith-onecycle-min`:
///   max/20 to max/10 for one cycle, where max is the smaller of the two maxima.
public func suggestLearningRates(
    points: [RangeTestPoint], evaluations: [RangeTestEvaluation]
) -> [LearningRateSuggestion] {
    var suggestions: [LearningRateSuggestion] = []
    let finiteCount = points.firstIndex { !$0.smoothedLoss.isFinite } ?? points.count
    let trimmed = points.prefix(finiteCount).dropFirst(points.count / 10).dropLast(5)
        .filter { $0.learningRate > 0 }
    if trimmed.count >= 2 {
        suggestions += lossCurveSuggestions(Array(trimmed))
    }
    if evaluations.count >= 3 {
        suggestions += smithBounds(evaluations)
    }
    return suggestions
}

private func lossCurveSuggestions(_ points: [RangeTestPoint]) -> [LearningRateSuggestion] {
    // Steepest descent per unit of ln η.
    var steepest = 0
    var steepestSlope = Double.infinity
    for index in 0..<(points.count - 1) {
        let run = log(points[index + 1].learningRate) - log(points[index].learningRate)
        guard run > 0 else { continue }
        let slope = (points[index + 1].smoothedLoss - points[index].smoothedLoss) / run
        if slope < steepestSlope {
            steepestSlope = slope
            steepest = index
        }
    }

    // The longest strictly decreasing subsequence, by dynamic programming over its end.
    var length = [Int](repeating: 1, count: points.count)
    var first = Array(points.indices)
    var longestEnd = 0
    for end in points.indices {
        for start in 0..<end
        where points[end].smoothedLoss < points[start].smoothedLoss
            && length[start] + 1 > length[end]
        {
            length[end] = length[start] + 1
            first[end] = first[start]
        }
        if length[end] > length[longestEnd] { longestEnd = end }
    }
    let valley = (first[longestEnd] + longestEnd) / 2

    let lowest = points.indices.min { points[$0].smoothedLoss < points[$1].smoothedLoss }!
    return [
        LearningRateSuggestion(
            name: "steepest", learningRate: points[steepest].learningRate,
            derivation: "the rate where the smoothed loss falls fastest per unit of ln(rate) "
                + "(slope \(steepestSlope))"),
        LearningRateSuggestion(
            name: "valley", learningRate: points[valley].learningRate,
            derivation: "the middle of the longest decreasing run of the smoothed loss, "
                + "from \(points[first[longestEnd]].learningRate) to "
                + "\(points[longestEnd].learningRate)"),
        LearningRateSuggestion(
            name: "minimum/10", learningRate: points[lowest].learningRate / 10,
            derivation: "a tenth of \(points[lowest].learningRate), where the smoothed loss "
                + "is lowest (\(points[lowest].smoothedLoss))"),
    ]
}

private func smithBounds(_ evaluations: [RangeTestEvaluation]) -> [LearningRateSuggestion] {
    let bestAccuracy = evaluations.max { $0.accuracy < $1.accuracy }!
    let lowestLoss = evaluations.min { $0.loss < $1.loss }!
    let maximum = min(bestAccuracy.learningRate, lowestLoss.learningRate)
    return [
        LearningRateSuggestion(
            name: "smith-max-accuracy", learningRate: bestAccuracy.learningRate,
            derivation: "held-out accuracy stops rising here: its peak "
                + "\(bestAccuracy.accuracy) after \(bestAccuracy.iteration) steps"),
        LearningRateSuggestion(
            name: "smith-max-loss", learningRate: lowestLoss.learningRate,
            derivation: "held-out loss starts rising here: its minimum \(lowestLoss.loss) "
                + "after \(lowestLoss.iteration) steps"),
        LearningRateSuggestion(
            name: "smith-clr-min", learningRate: maximum / 4, lowerLearningRate: maximum / 4,
            upperLearningRate: maximum / 3,
            derivation: "a cyclical schedule's base rate, max/4 to max/3 of the smaller "
                + "maximum \(maximum)"),
        LearningRateSuggestion(
            name: "smith-onecycle-min", learningRate: maximum / 10,
            lowerLearningRate: maximum / 20, upperLearningRate: maximum / 10,
            derivation: "a one-cycle schedule's starting rate, max/20 to max/10 of the "
                + "smaller maximum \(maximum)"),
    ]
}
