import BasinKernels
import BasinNetwork
import Testing

/// Checks a whole model's logits, Jacobian-vector product, gradient and Hessian-vector
/// product against central differences of its Double reference (`referenceLoss`), on a
/// small seeded batch, plus symmetry and the finite-difference product of the model.
///
/// Coordinates checked: the middle element of every parameter tensor plus evenly spaced
/// extras. Tolerances are relative to the largest expected magnitude: 2e-3 for values
/// formed in float32 through a few layers (rounding ≲ 1e-5 relative each; BatchNorm on
/// tiny batches amplifies by up to 1/σ), against references good to about 1e-6 relative.
public struct ModelCheck {
    public let model: Model
    public let images: [Float]
    public let labels: [Int32]
    public let mode: BatchNormMode

    /// Builds the model, perturbs BatchNorm γ, β and running statistics away from their
    /// initial values (so every term of the BatchNorm derivatives is exercised) and draws a
    /// batch of images and labels.
    public init(
        _ architecture: Architecture, inputShape: InputShape, classCount: Int, batch: Int,
        mode: BatchNormMode, seed: UInt64
    ) {
        var generator = SeededGenerator(seed: seed)
        let model = Model(
            architecture: architecture, inputShape: inputShape, classCount: classCount,
            generator: &generator)
        for slice in model.parameterLayout
        where slice.role == .batchNormWeight || slice.role == .batchNormBias {
            for index in slice.range {
                model.parameters[index] += 0.2 * Float(generator.nextGaussian())
            }
        }
        for slice in model.runningStatisticsLayout {
            for index in slice.range {
                model.runningStatistics[index] =
                    slice.role == .runningVariance
                    ? 0.5 + generator.nextUnitFloat() : 0.3 * Float(generator.nextGaussian())
            }
        }
        self.model = model
        self.mode = mode
        images = LayerCheck.gaussian(batch * inputShape.elementCount, &generator)
        labels = (0..<batch).map { _ in Int32(generator.nextIndex(below: classCount)) }
    }

    /// The Double reference loss as a function of θ.
    public func referenceLoss(_ theta: [Double]) -> Double {
        model.referenceLoss(
            images: images.map(Double.init), labels: labels, mode: mode, parameters: theta)
    }

    /// Coordinates to check: the middle of every tensor plus `extra` evenly spaced ones.
    public func coordinates(extra: Int) -> [Int] {
        let middles = model.parameterLayout.map { $0.range.lowerBound + $0.range.count / 2 }
        let spacing = max(1, model.parameterCount / max(extra, 1))
        let spread = Swift.stride(from: spacing / 2, to: model.parameterCount, by: spacing)
        return Array(Set(middles + spread)).sorted()
    }

    /// 2e-3 of the largest expected magnitude, plus a floor for all-zero references.
    public static func tolerance(_ expected: [Double]) -> Double {
        2e-3 * (expected.map(abs).max() ?? 0) + 1e-9
    }

    /// Runs every check.
    public func checkAll(
        extraCoordinates: Int = 16, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var generator = SeededGenerator(seed: 7)
        let v = LayerCheck.gaussian(model.parameterCount, &generator)
        let u = LayerCheck.gaussian(model.parameterCount, &generator)
        let theta = model.parameters.map(Double.init)
        let vDouble = v.map(Double.init)
        let statisticsBefore = model.runningStatistics
        let trackedBefore = model.batchesTracked

        // Logits and their tangent along v.
        let (logits, logitsTangent) = model.logitsTangent(
            images: images, mode: mode, direction: v)
        let referenceLogits = model.referenceLogits(images: images.map(Double.init), mode: mode)
        expectClose(
            logits.map(Double.init), referenceLogits,
            absoluteTolerance: ModelCheck.tolerance(referenceLogits), "logits",
            sourceLocation: sourceLocation)
        let tangent = FiniteDifference.jacobianVector(
            { model.referenceLogits(images: images.map(Double.init), mode: mode, parameters: $0) },
            at: theta, along: vDouble, step: 1e-6)
        expectClose(
            logitsTangent.map(Double.init), tangent,
            absoluteTolerance: ModelCheck.tolerance(tangent), "logit tangent",
            sourceLocation: sourceLocation)

        // Gradient: sampled coordinates and the directional derivative along v.
        var gradient: [Float] = []
        let result = model.gradient(images: images, labels: labels, mode: mode, into: &gradient)
        expectClose(
            result.loss, referenceLoss(theta), absoluteTolerance: 1e-5 * (1 + result.loss),
            "loss", sourceLocation: sourceLocation)
        let indices = coordinates(extra: extraCoordinates)
        let partials = FiniteDifference.partials(referenceLoss, at: theta, indices: indices)
        expectClose(
            indices.map { Double(gradient[$0]) }, partials,
            absoluteTolerance: ModelCheck.tolerance(partials), "gradient",
            sourceLocation: sourceLocation)
        let slope = FiniteDifference.directional(
            referenceLoss, at: theta, along: vDouble, step: 1e-6)
        expectClose(
            Vector.dot(gradient, v), slope, absoluteTolerance: 2e-3 * abs(slope) + 1e-9,
            "v·g", sourceLocation: sourceLocation)

        // Hessian-vector products: sampled entries, symmetry, finite differences.
        var hv: [Float] = []
        var hu: [Float] = []
        var gradientOfProduct: [Float] = []
        model.hessianVectorProduct(
            images: images, labels: labels, mode: mode, direction: v, into: &hv,
            gradient: &gradientOfProduct)
        model.hessianVectorProduct(
            images: images, labels: labels, mode: mode, direction: u, into: &hu)
        #expect(
            gradientOfProduct == gradient, "gradient of the HVP pass differs",
            sourceLocation: sourceLocation)
        let entries = FiniteDifference.hessianEntries(
            referenceLoss, at: theta, along: vDouble, indices: indices, step: 1e-4,
            directionStep: 1e-6)
        expectClose(
            indices.map { Double(hv[$0]) }, entries,
            absoluteTolerance: ModelCheck.tolerance(entries), "Hv entries",
            sourceLocation: sourceLocation)
        let uHv = Vector.dot(u, hv)
        let vHu = Vector.dot(v, hu)
        let scale = zip(u, hv).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
        expectClose(
            uHv, vHu, absoluteTolerance: 1e-4 * scale, "symmetry u·Hv = v·Hu",
            sourceLocation: sourceLocation)

        // The model's own difference of float32 gradients with its default step carries
        // about 1 % round-off (ε·‖∇L‖/h, measured 0.4–1.0 % on these shapes).
        var finiteDifference: [Float] = []
        model.finiteDifferenceHessianVectorProduct(
            images: images, labels: labels, mode: mode, direction: v, into: &finiteDifference)
        let hvDouble = hv.map(Double.init)
        expectClose(
            finiteDifference.map(Double.init), hvDouble,
            absoluteTolerance: 3e-2 * (hvDouble.map(abs).max() ?? 0),
            "Hv against central differences of gradients", sourceLocation: sourceLocation)

        #expect(
            model.runningStatistics == statisticsBefore && model.batchesTracked == trackedBefore,
            "derivative passes changed the running statistics", sourceLocation: sourceLocation)
    }
}
