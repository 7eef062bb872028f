import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@testable import BasinAnalysis

/// A small MLP on 2×2 inputs, three classes, and a batch of eight random images.
private func smallProblem(seed: UInt64) -> ModelHessianOperator {
    var generator = SeededGenerator(seed: seed)
    let shape = InputShape(channels: 1, height: 2, width: 2)
    let model = Model(architecture: .mlp, inputShape: shape, classCount: 3, generator: &generator)
    let images = (0..<(8 * 4)).map { _ in Float(generator.nextGaussian()) }
    let labels = (0..<8).map { _ in Int32(generator.nextIndex(below: 3)) }
    return ModelHessianOperator(model: model, images: images, labels: labels, mode: .running)
}

@Suite("Curvature of a model through its Hessian-vector product")
struct ModelHessianOperatorTests {
    @Test("the product is symmetric: u·Hv = v·Hu")
    func symmetric() throws {
        var hessian = smallProblem(seed: 91)
        var generator = SeededGenerator(seed: 92)
        let u = KrylovVectors.gaussian(dimension: hessian.dimension, generator: &generator)
        let v = KrylovVectors.gaussian(dimension: hessian.dimension, generator: &generator)
        var hu = [Float](repeating: 0, count: hessian.dimension)
        var hv = hu
        try hessian.apply(u, into: &hu)
        try hessian.apply(v, into: &hv)
        let (uHv, vHu) = (Vector.dot(u, hv), Vector.dot(v, hu))
        expectClose(uHv, vHu, absoluteTolerance: 1e-6, relativeTolerance: 1e-4)
    }

    @Test("power iteration and Lanczos agree on the top eigenvalue of a network's Hessian")
    func powerAgreesWithLanczos() throws {
        var hessian = smallProblem(seed: 93)
        var generator = SeededGenerator(seed: 94)
        let power = try PowerIteration.dominantEigenpairs(
            of: &hessian,
            options: PowerIterationOptions(maxIterationCount: 200, relativeTolerance: 1e-6),
            generator: &generator)
        let lanczos = try LanczosDecomposition(
            of: &hessian, options: LanczosOptions(stepCount: 20), generator: &generator)
        let spectrum = try lanczos.ritzSpectrum()
        // The loss Hessian of a softmax net at initialisation is dominated by a positive
        // outlier, so the dominant eigenvalue is λ_max.
        let top = try #require(spectrum.largest(1).first)
        expectClose(
            power.estimates[0].eigenvalue, top.value, absoluteTolerance: 0,
            relativeTolerance: 1e-3)
        #expect(top.value > 0)
    }

    @Test("per-layer traces cover every parameter tensor and add up to the total")
    func layerTraces() throws {
        var hessian = smallProblem(seed: 95)
        var generator = SeededGenerator(seed: 96)
        let blocks = hessian.parameterBlocks
        #expect(blocks.first?.lowerBound == 0 && blocks.last?.upperBound == hessian.dimension)
        let estimate = try HutchinsonTrace.estimate(
            of: &hessian,
            options: HutchinsonOptions(
                maxProbeCount: 5, minProbeCount: 5, relativeStandardErrorTolerance: 0),
            blocks: blocks, generator: &generator)
        let sum = estimate.blockTraces.reduce(0) { $0 + $1.trace }
        expectClose(sum, estimate.trace, absoluteTolerance: 1e-6, relativeTolerance: 1e-6)
    }
}
