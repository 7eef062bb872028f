import Foundation

/// Function-space comparisons of classifiers from their logits on the same examples.
///
/// Dimension letters: N examples, K classes; logits are `[N, K]` row-major.
public enum PredictionComparison {
    /// The predicted class of every row: the index of its largest logit (the first one on
    /// ties; a row with a NaN predicts −1, which never matches a label or another model).
    public static func predictedClasses(logits: [Float], classCount: Int) -> [Int32] {
        precondition(
            classCount > 0 && logits.count % classCount == 0,
            "logits count \(logits.count) is not a multiple of the class count \(classCount)")
        let rows = logits.count / classCount
        return (0..<rows).map { row in
            var best = 0
            for k in 1..<classCount
            where logits[row * classCount + k] > logits[row * classCount + best] {
                best = k
            }
            let slice = logits[(row * classCount)..<((row + 1) * classCount)]
            return slice.contains(where: \.isNaN) ? -1 : Int32(best)
        }
    }

    /// The fraction of examples on which two models predict different classes.
    public static func disagreement(_ first: [Int32], _ second: [Int32]) -> Double {
        precondition(
            first.count == second.count && !first.isEmpty,
            "predictions differ in count or are empty: \(first.count) vs \(second.count)")
        let differing = zip(first, second).reduce(0) { $0 + ($1.0 != $1.1 || $1.0 < 0 ? 1 : 0) }
        return Double(differing) / Double(first.count)
    }

    /// The fraction of examples whose predicted class differs from the label.
    public static func error(_ predictions: [Int32], labels: [Int32]) -> Double {
        precondition(
            predictions.count == labels.count && !labels.isEmpty,
            "predictions \(predictions.count) and labels \(labels.count) differ or are empty")
        let wrong = zip(predictions, labels).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
        return Double(wrong) / Double(labels.count)
    }

    /// Row-wise softmax of `[N, K]` logits, computed stably (the row maximum subtracted), in
    /// Double.
    public static func probabilities(logits: [Float], classCount: Int) -> [Double] {
        var result = [Double](repeating: 0, count: logits.count)
        for row in 0..<(logits.count / classCount) {
            let range = (row * classCount)..<((row + 1) * classCount)
            let largest = Double(logits[range].max() ?? 0)
            var total = 0.0
            for index in range {
                result[index] = exp(Double(logits[index]) - largest)
                total += result[index]
            }
            for index in range { result[index] /= total }
        }
        return result
    }

    /// Mean cross-entropy −(1/N)·Σ log p[n, label_n] and error of averaged probabilities
    /// (a snapshot ensemble averages the members' softmax outputs).
    public static func lossAndError(probabilities: [Double], labels: [Int32], classCount: Int)
        -> (loss: Double, error: Double)
    {
        precondition(
            probabilities.count == labels.count * classCount,
            "probabilities \(probabilities.count) do not fit \(labels.count) labels × \(classCount)"
        )
        var loss = 0.0
        var wrong = 0
        for (row, label) in labels.enumerated() {
            let range = (row * classCount)..<((row + 1) * classCount)
            loss -= log(
                max(probabilities[row * classCount + Int(label)], Double.leastNormalMagnitude))
            let best = range.max { probabilities[$0] < probabilities[$1] }! - row * classCount
            if best != Int(label) { wrong += 1 }
        }
        return (loss / Double(labels.count), Double(wrong) / Double(labels.count))
    }
}
