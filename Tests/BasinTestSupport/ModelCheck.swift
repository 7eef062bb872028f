import BasinKernels
import BasinNetwork
import Testing

/// Checks a whole model's logits, Jacobian-vector product, gradient and Hessian-vector
/// product against central differences of its Double reference (`referenceLoss`), on a
/// small seeded batch, plus symmetry and the finite-difference product of the model.
///
/// The references hold the activation pattern (ReLU signs, max-pooling choices) of θ
/// fixed (`ActivationPattern.replay`): the exact derivatives are those of that smooth
/// piece, and a deep network has so many activations near zero that differences of the
/// live function cross kinks even at steps of 1e-6.
///
/// Directions are Gaussian, scaled per tensor by the RMS of its weights (at least 0.1),
/// as filter-normalised directions are (Li et al. 2018): one step then moves every tensor
/// by the same relative amount, where an unscaled N(0, 1) direction would move small
/// convolution weights by ten times their size and leave differences far from converged.
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

    /// The Double reference loss as a function of θ, with the activation pattern recorded
    /// by the last `recordPattern()`.
    public func referenceLoss(_ theta: [Double]) -> Double {
        model.referenceLoss(
            images: images.map(Double.init), labels: labels, mode: mode, parameters: theta,
            activationPattern: .replay)
    }

    /// The Double reference logits as a function of θ, with the recorded pattern.
    public func referenceLogits(_ theta: [Double]) -> [Double] {
        model.referenceLogits(
            images: images.map(Double.init), mode: mode, parameters: theta,
            activationPattern: .replay)
    }

    /// Records the activation pattern of the model's own parameters and returns the
    /// reference logits there.
    public func recordPattern() -> [Double] {
        model.referenceLogits(
            images: images.map(Double.init), mode: mode, activationPattern: .record)
    }

    /// Coordinates to check: the middle of every tensor (of `maximumTensors` evenly spaced
    /// tensors, for deep models) plus `extra` evenly spaced ones.
    public func coordinates(extra: Int, maximumTensors: Int = .max) -> [Int] {
        let layout = model.parameterLayout
        let every =
            maximumTensors >= layout.count
            ? 1 : (layout.count + maximumTensors - 1) / maximumTensors
        let middles = Swift.stride(from: 0, to: layout.count, by: every).map {
            layout[$0].range.lowerBound + layout[$0].range.count / 2
        }
        let spacing = max(1, model.parameterCount / max(extra, 1))
        let spread = Swift.stride(from: spacing / 2, to: model.parameterCount, by: spacing)
        return Array(Set(middles + spread)).sorted()
    }

    /// A Gaussian direction scaled per tensor by max(RMS of the tensor, 0.1).
    public func scaledDirection(_ generator: inout SeededGenerator) -> [Float] {
        var direction = LayerCheck.gaussian(model.parameterCount, &generator)
        for slice in model.parameterLayout {
            let values = model.parameters[slice.range]
            let meanSquare =
                values.reduce(0) { $0 + Double($1) * Double($1) } / Double(values.count)
            let scale = Float(max(meanSquare.squareRoot(), 0.1))
            for index in slice.range { direction[index] *= scale }
        }
        return direction
    }

    /// 2e-3 of the largest expected magnitude, plus a floor for all-zero references.
    public static func tolerance(_ expected: [Double]) -> Double {
        2e-3 * (expected.map(abs).max() ?? 0) + 1e-9
    }

    /// Runs every check. `checksLiveDifferences` adds the model's finite-difference
    /// product of the live function (default step), which only small networks pass
    /// reliably (see `Model.finiteDifferenceHessianVectorProduct`). `hessianStep` is the
    /// step of the mixed second differences: round-off grows as 2e-16·|L|/step², and
    /// truncation with the third derivatives, which BatchNorm makes large when a channel
    /// of a tiny batch has nearly zero variance (its 1/√(σ² + ε) approaches 316).
    public func checkAll(
        extraCoordinates: Int = 16, maximumTensors: Int = .max,
        checksLiveDifferences: Bool = false, hessianStep: Double = 1e-5,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var generator = SeededGenerator(seed: 7)
        let v = scaledDirection(&generator)
        let u = scaledDirection(&generator)
        let theta = model.parameters.map(Double.init)
        let vDouble = v.map(Double.init)
        let statisticsBefore = model.runningStatistics
        let trackedBefore = model.batchesTracked

        // Logits and their tangent along v.
        let (logits, logitsTangent) = model.logitsTangent(
            images: images, mode: mode, direction: v)
        let referenceLogits = recordPattern()
        expectClose(
            logits.map(Double.init), referenceLogits,
            absoluteTolerance: ModelCheck.tolerance(referenceLogits), "logits",
            sourceLocation: sourceLocation)
        let tangent = FiniteDifference.jacobianVector(
            self.referenceLogits, at: theta, along: vDouble, step: 1e-6)
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
        let indices = coordinates(extra: extraCoordinates, maximumTensors: maximumTensors)
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
            referenceLoss, at: theta, along: vDouble, indices: indices, step: hessianStep,
            directionStep: hessianStep)
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

        // The model's own difference of float32 gradients with frozen activations and its
        // default step (0.1 % of ‖θ‖): round-off ε·‖∇L‖/h and O(h²) truncation measured
        // up to 7e-3 of max|Hv| (cnn with batch statistics over 3 values per channel).
        var frozen: [Float] = []
        model.finiteDifferenceHessianVectorProduct(
            images: images, labels: labels, mode: mode, direction: v, freezingActivations: true,
            into: &frozen)
        let hvDouble = hv.map(Double.init)
        let largest = hvDouble.map(abs).max() ?? 0
        expectClose(
            frozen.map(Double.init), hvDouble, absoluteTolerance: 1.5e-2 * largest,
            "Hv against central differences of gradients (frozen activations)",
            sourceLocation: sourceLocation)

        // The live function with the default step carries about 1 % round-off (measured
        // 0.4–1.0 % on the small networks this is used for).
        if checksLiveDifferences {
            var live: [Float] = []
            model.finiteDifferenceHessianVectorProduct(
                images: images, labels: labels, mode: mode, direction: v, into: &live)
            expectClose(
                live.map(Double.init), hvDouble, absoluteTolerance: 3e-2 * largest,
                "Hv against central differences of gradients", sourceLocation: sourceLocation)
        }

        #expect(
            model.runningStatistics == statisticsBefore && model.batchesTracked == trackedBefore,
            "derivative passes changed the running statistics", sourceLocation: sourceLocation)
    }
}
