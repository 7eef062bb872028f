import Foundation

// Dimension letters: N batch, K classes. z [N, K] logits, p [N, K] softmax probabilities,
// y [N] labels in 0..<K.

/// Softmax cross-entropy averaged over the batch (PyTorch `F.cross_entropy`, mean
/// reduction), with its gradient and tangent:
///
///     L = (1/N)·Σ_n [log Σ_k exp z[n,k] − z[n,y_n]]
///     g_z = (p − onehot(y))/N
///     R{g_z} = (p ⊙ ż − p·(pᵀż))/N          (the softmax Jacobian applied to ż)
///
/// The log-sum-exp subtracts the row maximum first, so large logits do not overflow; the
/// loss is accumulated in Double.
public final class SoftmaxCrossEntropy {
    public let classCount: Int
    private let probabilities = FloatBuffer()
    private let logitGradient = FloatBuffer()
    private let logitGradientTangent = FloatBuffer()

    public init(classCount: Int) {
        self.classCount = classCount
    }

    /// Computes the loss and the count of correct predictions, and keeps p for the
    /// gradient.
    /// - Precondition: every label is in 0..<K.
    public func forward(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int
    ) -> BatchResult {
        var lossSum = 0.0
        var correct = 0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(batch, 1)) { losses in
            accumulate(
                logits: logits, labels: labels, batch: batch, imageLosses: losses.baseAddress!,
                correctCount: &correct)
            for n in 0..<batch { lossSum += losses[n] }
        }
        return BatchResult(
            loss: batch == 0 ? 0 : lossSum / Double(batch), correctCount: correct, count: batch)
    }

    /// `forward` for one part of a larger batch: writes each image's loss (in Double) to
    /// `imageLosses[0..<batch]`, adds the images' correct predictions to `correctCount`,
    /// and keeps p of these images. Summing the losses of all parts in image order gives
    /// the whole batch's sum exactly.
    /// - Precondition: every label is in 0..<K.
    func accumulate(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
        imageLosses: UnsafeMutablePointer<Double>, correctCount: inout Int
    ) {
        let k = classCount
        let p = probabilities.reserve(batch * k)
        for n in 0..<batch {
            let label = Int(labels[n])
            precondition(label >= 0 && label < k, "label \(label) of image \(n) not in 0..<\(k)")
            let row = logits + n * k
            var best = 0
            for index in 1..<max(k, 1) where row[index] > row[best] { best = index }
            if best == label && !row[best].isNaN { correctCount += 1 }
            let largest = row[best]
            var sum: Float = 0
            for index in 0..<k {
                let e = exp(row[index] - largest)
                p[n * k + index] = e
                sum += e
            }
            let inverse = 1 / sum
            for index in 0..<k { p[n * k + index] *= inverse }
            imageLosses[n] = Double(log(sum)) + Double(largest) - Double(row[label])
        }
    }

    /// g_z = (p − onehot(y))/N from the last `forward`.
    public func backward(labels: UnsafePointer<Int32>, batch: Int) -> UnsafePointer<Float> {
        let k = classCount
        let g = logitGradient.reserve(batch * k)
        let scale = 1 / Float(batch)
        for n in 0..<batch {
            for index in 0..<k { g[n * k + index] = probabilities.pointer[n * k + index] * scale }
            g[n * k + Int(labels[n])] -= scale
        }
        return UnsafePointer(g)
    }

    /// R{g_z} = (p ⊙ ż − p·(pᵀż))/N from the last `forward`.
    public func backwardTangent(logitTangent: UnsafePointer<Float>, batch: Int)
        -> UnsafePointer<Float>
    {
        let k = classCount
        let r = logitGradientTangent.reserve(batch * k)
        let p = probabilities.pointer
        let scale = 1 / Float(batch)
        for n in 0..<batch {
            var mean: Float = 0
            for index in 0..<k { mean += p[n * k + index] * logitTangent[n * k + index] }
            for index in 0..<k {
                r[n * k + index] = p[n * k + index] * (logitTangent[n * k + index] - mean) * scale
            }
        }
        return UnsafePointer(r)
    }

    /// The mean loss in Double, for the reference pass.
    public static func referenceLoss(logits: [Double], labels: [Int32], classCount k: Int)
        -> Double
    {
        let batch = labels.count
        var sum = 0.0
        for n in 0..<batch {
            let row = logits[n * k..<(n + 1) * k]
            let largest = row.max() ?? 0
            let total = row.reduce(0.0) { $0 + Foundation.exp($1 - largest) }
            sum += Foundation.log(total) + largest - row[n * k + Int(labels[n])]
        }
        return batch == 0 ? 0 : sum / Double(batch)
    }
}
