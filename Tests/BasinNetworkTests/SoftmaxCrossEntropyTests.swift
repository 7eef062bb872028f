import BasinKernels
import BasinNetwork
import BasinTestSupport
import Foundation
import Testing

@Suite("Softmax cross-entropy")
struct SoftmaxCrossEntropyTests {
    /// Runs forward, backward and tangent on one batch.
    func evaluate(_ logits: [Float], _ labels: [Int32], classes: Int, tangent: [Float])
        -> (BatchResult, [Float], [Float])
    {
        let loss = SoftmaxCrossEntropy(classCount: classes)
        let batch = labels.count
        return logits.withUnsafeBufferPointer { z in
            labels.withUnsafeBufferPointer { y in
                tangent.withUnsafeBufferPointer { zDot in
                    let result = loss.forward(
                        logits: z.baseAddress!, labels: y.baseAddress!, batch: batch)
                    let g = loss.backward(labels: y.baseAddress!, batch: batch)
                    let gradient = Array(UnsafeBufferPointer(start: g, count: logits.count))
                    let r = loss.backwardTangent(logitTangent: zDot.baseAddress!, batch: batch)
                    let product = Array(UnsafeBufferPointer(start: r, count: logits.count))
                    return (result, gradient, product)
                }
            }
        }
    }

    @Test("equal logits give log K and accuracy from the first maximum")
    func uniform() {
        // Closed form: all logits equal ⇒ p = 1/K, L = log K; argmax is class 0.
        let (result, gradient, _) = evaluate(
            [Float](repeating: 2, count: 8), [0, 3], classes: 4,
            tangent: [Float](repeating: 0, count: 8))
        expectClose(result.loss, log(4), absoluteTolerance: 1e-6)
        #expect(result.correctCount == 1 && result.count == 2)
        expectClose(result.accuracy, 0.5, absoluteTolerance: 0)
        // g = (p − onehot)/N = (0.25 − [y = k])/2.
        expectClose(
            gradient, [-0.375, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375],
            absoluteTolerance: 1e-7)
    }

    @Test("huge logits do not overflow")
    func stable() {
        // L = log(1 + e^(−1000)) ≈ 0 for the right class, 1000 for the wrong one.
        let (result, _, _) = evaluate(
            [1000, 0, 0, 1000], [0, 0], classes: 2, tangent: [0, 0, 0, 0])
        expectClose(result.loss, 500, absoluteTolerance: 1e-3)
    }

    @Test("gradient and tangent match differences of the Double loss")
    func derivatives() {
        var generator = SeededGenerator(seed: 5)
        let logits = LayerCheck.gaussian(15, &generator)
        let tangent = LayerCheck.gaussian(15, &generator)
        let labels: [Int32] = [2, 0, 4]
        let (result, gradient, product) = evaluate(logits, labels, classes: 5, tangent: tangent)
        let loss = { (z: [Double]) in
            SoftmaxCrossEntropy.referenceLoss(logits: z, labels: labels, classCount: 5)
        }
        let z = logits.map(Double.init)
        expectClose(result.loss, loss(z), absoluteTolerance: 1e-6)
        let partials = FiniteDifference.partials(loss, at: z, indices: Array(0..<15))
        expectClose(gradient.map(Double.init), partials, absoluteTolerance: 1e-6)
        let entries = FiniteDifference.hessianEntries(
            loss, at: z, along: tangent.map(Double.init), indices: Array(0..<15))
        expectClose(product.map(Double.init), entries, absoluteTolerance: 1e-6)
    }
}
