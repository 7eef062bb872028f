import BasinKernels
import BasinNetwork
import Testing

/// Checks one layer's forward pass, gradients and tangents against its Double reference.
///
/// The layer is closed by a scalar head f = Σ r⊙y + ½·Σ c⊙y² with fixed random r and
/// c > 0, so g_y = r + c⊙y and R{g_y} = c⊙ẏ, and the Hessian of f in z = (θ, x) has both
/// the layer's own second-order terms and a Gauss–Newton part. The fast pass runs in
/// Float; the references are central differences of the Double reference forward.
///
/// Tolerances: every comparison allows 2e-4·(1 + max|expected|) absolute. The fast pass
/// rounds to float32 (ε ≈ 1.2e-7) over sums of at most a few hundred terms, and BatchNorm
/// divides by σ ≳ 0.3, which stays below 1e-5 relative; the references are good to 1e-8.
/// A wrong or missing term shows up at O(1) relative, far above the tolerance.
public struct LayerCheck {
    public let layer: Layer
    public let batch: Int
    public let mode: BatchNormMode
    public var parameters: [Float]
    public var runningStatistics: [Float]
    public var batchesTracked: [Int64]
    public var input: [Float]
    public var headLinear: [Float]
    public var headQuadratic: [Float]

    /// The results of one fast pass along (v, ẋ).
    public struct Pass {
        public var output: [Float]
        public var outputTangent: [Float]
        public var parameterGradient: [Float]
        public var inputGradient: [Float]
        public var parameterProduct: [Float]
        public var inputProduct: [Float]

        /// (g_θ, g_x) as one vector.
        public var gradient: [Double] { (parameterGradient + inputGradient).map(Double.init) }
        /// (R{g_θ}, R{g_x}) as one vector.
        public var product: [Double] { (parameterProduct + inputProduct).map(Double.init) }
    }

    /// Draws parameters (BatchNorm γ around 1), running statistics (variances in
    /// [0.5, 1.5]), input and head weights from `seed`.
    public init(
        layer: Layer, layout: LayoutBuilder, batch: Int, mode: BatchNormMode, seed: UInt64
    ) {
        var generator = SeededGenerator(seed: seed)
        self.layer = layer
        self.batch = batch
        self.mode = mode
        parameters = [Float](repeating: 0, count: layout.parameterCount)
        for slice in layout.parameterSlices {
            let center: Float = slice.role == .batchNormWeight ? 1 : 0
            for index in slice.range {
                parameters[index] = center + 0.5 * Float(generator.nextGaussian())
            }
        }
        runningStatistics = [Float](repeating: 0, count: layout.statisticCount)
        for slice in layout.statisticSlices {
            for index in slice.range {
                runningStatistics[index] =
                    slice.role == .runningVariance
                    ? 0.5 + generator.nextUnitFloat() : 0.3 * Float(generator.nextGaussian())
            }
        }
        batchesTracked = [Int64](repeating: 0, count: layout.batchesTrackedNames.count)
        input = LayerCheck.gaussian(batch * layer.inputCount, &generator)
        headLinear = LayerCheck.gaussian(batch * layer.outputCount, &generator)
        headQuadratic = (0..<batch * layer.outputCount).map { _ in
            0.5 + generator.nextUnitFloat()
        }
    }

    public static func gaussian(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float(generator.nextGaussian()) }
    }

    /// Runs forward, forward tangent, backward and backward tangent along
    /// (`direction`, `inputDirection`) in Float, updating statistics per `update`.
    public mutating func run(
        direction: [Float], inputDirection: [Float],
        update: RunningStatisticsUpdate = .none
    ) -> Pass {
        let (layer, batch, mode) = (self.layer, self.batch, self.mode)
        let outputCount = batch * layer.outputCount
        let inputCount = batch * layer.inputCount
        var gradient = [Float](repeating: 0, count: parameters.count)
        var product = [Float](repeating: 0, count: parameters.count)
        var pass = Pass(
            output: [], outputTangent: [], parameterGradient: [], inputGradient: [],
            parameterProduct: [], inputProduct: [])
        let (linear, quadratic, input) = (headLinear, headQuadratic, self.input)
        let theta = parameters.isEmpty ? [0] : parameters
        let v = direction.isEmpty ? [0] : direction
        var statistics = runningStatistics.isEmpty ? [0] : runningStatistics
        var tracked = batchesTracked.isEmpty ? [0] : batchesTracked
        gradient.append(0)
        product.append(0)
        theta.withUnsafeBufferPointer { theta in
            v.withUnsafeBufferPointer { v in
                gradient.withUnsafeMutableBufferPointer { g in
                    product.withUnsafeMutableBufferPointer { hv in
                        statistics.withUnsafeMutableBufferPointer { s in
                            tracked.withUnsafeMutableBufferPointer { t in
                                let context = PassContext(
                                    batch: batch, mode: mode, statisticsUpdate: update,
                                    parameters: theta.baseAddress!, direction: v.baseAddress!,
                                    gradient: g.baseAddress!, gradientTangent: hv.baseAddress!,
                                    runningStatistics: s.baseAddress!,
                                    batchesTracked: t.baseAddress!)
                                input.withUnsafeBufferPointer { x in
                                    inputDirection.withUnsafeBufferPointer { xDot in
                                        let y = layer.forward(x.baseAddress!, context)
                                        let yDot = layer.forwardTangent(xDot.baseAddress!, context)!
                                        pass.output = Array(
                                            UnsafeBufferPointer(start: y, count: outputCount))
                                        pass.outputTangent = Array(
                                            UnsafeBufferPointer(start: yDot, count: outputCount))
                                        let gy = (0..<outputCount).map {
                                            linear[$0] + quadratic[$0] * pass.output[$0]
                                        }
                                        let gyDot = (0..<outputCount).map {
                                            quadratic[$0] * pass.outputTangent[$0]
                                        }
                                        gy.withUnsafeBufferPointer { gy in
                                            gyDot.withUnsafeBufferPointer { gyDot in
                                                let gx = layer.backward(
                                                    gy.baseAddress!, needsInputGradient: true,
                                                    context)!
                                                pass.inputGradient = Array(
                                                    UnsafeBufferPointer(
                                                        start: gx, count: inputCount))
                                                let gxDot = layer.backwardTangent(
                                                    gy.baseAddress!, gyDot.baseAddress!,
                                                    needsInputGradient: true, context)!
                                                pass.inputProduct = Array(
                                                    UnsafeBufferPointer(
                                                        start: gxDot, count: inputCount))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        pass.parameterGradient = Array(gradient.dropLast())
        pass.parameterProduct = Array(product.dropLast())
        if !runningStatistics.isEmpty { runningStatistics = statistics }
        if !batchesTracked.isEmpty { batchesTracked = tracked }
        return pass
    }

    /// Runs forward and backward only, as a training step does (no direction, so the layer
    /// may keep less for tangents), and returns the output, g_θ and g_x for the head's g_y.
    /// Running statistics are not updated.
    public func runGradient()
        -> (output: [Float], parameterGradient: [Float], inputGradient: [Float])
    {
        let (layer, batch, mode) = (self.layer, self.batch, self.mode)
        let outputCount = batch * layer.outputCount
        let inputCount = batch * layer.inputCount
        var gradient = [Float](repeating: 0, count: parameters.count + 1)
        var statistics = runningStatistics.isEmpty ? [0] : runningStatistics
        var tracked = batchesTracked.isEmpty ? [0] : batchesTracked
        let theta = parameters.isEmpty ? [0] : parameters
        var result: (output: [Float], parameterGradient: [Float], inputGradient: [Float]) = (
            [], [], []
        )
        theta.withUnsafeBufferPointer { theta in
            gradient.withUnsafeMutableBufferPointer { g in
                statistics.withUnsafeMutableBufferPointer { s in
                    tracked.withUnsafeMutableBufferPointer { t in
                        let context = PassContext(
                            batch: batch, mode: mode, parameters: theta.baseAddress!,
                            gradient: g.baseAddress!, runningStatistics: s.baseAddress!,
                            batchesTracked: t.baseAddress!)
                        input.withUnsafeBufferPointer { x in
                            let y = layer.forward(x.baseAddress!, context)
                            result.output = Array(UnsafeBufferPointer(start: y, count: outputCount))
                            let gy = (0..<outputCount).map {
                                headLinear[$0] + headQuadratic[$0] * result.output[$0]
                            }
                            gy.withUnsafeBufferPointer { gy in
                                let gx = layer.backward(
                                    gy.baseAddress!, needsInputGradient: true, context)!
                                result.inputGradient = Array(
                                    UnsafeBufferPointer(start: gx, count: inputCount))
                            }
                        }
                    }
                }
            }
        }
        result.parameterGradient = Array(gradient.dropLast())
        return result
    }

    /// The layer's Double reference output at z = (θ, x).
    public func referenceOutput(_ z: [Double]) -> [Double] {
        let parameterCount = parameters.count
        let context = ReferenceContext(
            batch: batch, mode: mode, parameters: Array(z[..<parameterCount]),
            runningStatistics: runningStatistics.map(Double.init))
        return layer.referenceForward(Array(z[parameterCount...]), context)
    }

    /// f(z) = Σ r⊙y + ½·Σ c⊙y² in Double.
    public func referenceObjective(_ z: [Double]) -> Double {
        let y = referenceOutput(z)
        var sum = 0.0
        for index in y.indices {
            sum += Double(headLinear[index]) * y[index]
            sum += 0.5 * Double(headQuadratic[index]) * y[index] * y[index]
        }
        return sum
    }

    /// The point z = (θ, x) in Double.
    public var point: [Double] { (parameters + input).map(Double.init) }

    /// Runs every check: output, forward tangent, gradient, Hessian-vector product (all
    /// coordinates up to `maximumCoordinates`, evenly spaced beyond) and symmetry.
    public mutating func checkAll(
        seed: UInt64 = 99, maximumCoordinates: Int = 400,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var generator = SeededGenerator(seed: seed)
        let v = LayerCheck.gaussian(parameters.count, &generator)
        let xDot = LayerCheck.gaussian(input.count, &generator)
        let u = LayerCheck.gaussian(parameters.count, &generator)
        let uDot = LayerCheck.gaussian(input.count, &generator)
        let pass = run(direction: v, inputDirection: xDot)
        let z = point
        let along = (v + xDot).map(Double.init)

        let output = referenceOutput(z)
        expectClose(
            pass.output.map(Double.init), output, absoluteTolerance: LayerCheck.tolerance(output),
            "output", sourceLocation: sourceLocation)

        let tangent = FiniteDifference.jacobianVector(referenceOutput, at: z, along: along)
        expectClose(
            pass.outputTangent.map(Double.init), tangent,
            absoluteTolerance: LayerCheck.tolerance(tangent), "forward tangent",
            sourceLocation: sourceLocation)

        let stride = max(1, (z.count + maximumCoordinates - 1) / maximumCoordinates)
        let indices = Array(Swift.stride(from: 0, to: z.count, by: stride))
        let gradient = FiniteDifference.partials(referenceObjective, at: z, indices: indices)
        expectClose(
            indices.map { pass.gradient[$0] }, gradient,
            absoluteTolerance: LayerCheck.tolerance(gradient), "gradient",
            sourceLocation: sourceLocation)

        let product = FiniteDifference.hessianEntries(
            referenceObjective, at: z, along: along, indices: indices)
        expectClose(
            indices.map { pass.product[$0] }, product,
            absoluteTolerance: LayerCheck.tolerance(product), "Hessian-vector product",
            sourceLocation: sourceLocation)

        let other = run(direction: u, inputDirection: uDot)
        let uAlong = (u + uDot).map(Double.init)
        let uHv = zip(uAlong, pass.product).reduce(0) { $0 + $1.0 * $1.1 }
        let vHu = zip(along, other.product).reduce(0) { $0 + $1.0 * $1.1 }
        // Float rounding of each term is ~1e-6 relative, so the sums agree to 1e-5 of Σ|terms|.
        let scale = zip(uAlong, pass.product).reduce(0) { $0 + abs($1.0 * $1.1) }
        expectClose(
            uHv, vHu, absoluteTolerance: 1e-5 * (1 + scale), "symmetry u·Hv = v·Hu",
            sourceLocation: sourceLocation)
    }

    /// 2e-4·(1 + max|expected|); see the type's documentation.
    public static func tolerance(_ expected: [Double]) -> Double {
        2e-4 * (1 + (expected.map(abs).max() ?? 0))
    }
}
