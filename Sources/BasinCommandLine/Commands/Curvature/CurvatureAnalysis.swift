import BasinAnalysis
import BasinKernels
import BasinNetwork
import Foundation

/// What `basin curvature` computes, as options of the algorithms.
struct CurvatureSettings: Codable, Equatable {
    var eigenvalues: ExtremeEigenvalueRequest
    /// nil without `--trace`.
    var trace: HutchinsonOptions?
    /// nil without `--density`.
    var density: SpectralDensityOptions?
    var seed: UInt64
}

/// The checkpoint as an analysis output records it.
struct AnalysedCheckpoint: Codable, Equatable {
    var path: String
    var name: String
    var architecture: String
    var parameterCount: Int
    var iteration: Int?
    var epoch: Int?
    var learningRate: Double?
    var momentum: Double?
}

/// λ_max against the stability thresholds of the checkpoint's learning rate η and
/// momentum μ: gradient descent is unstable on a quadratic when λ > 2/η, heavy ball
/// (PyTorch SGD) when λ > (2 + 2μ)/η.
struct StabilityRecord: Codable, Equatable {
    var learningRate: Double
    var momentum: Double
    var gradientDescentThreshold: Double
    var heavyBallThreshold: Double
    /// η·λ_max: 2 is the gradient-descent edge, 2 + 2μ the heavy-ball one.
    var learningRateTimesTopEigenvalue: Double
    var exceedsGradientDescentThreshold: Bool
    var exceedsHeavyBallThreshold: Bool

    init?(learningRate: Double?, momentum: Double?, topEigenvalue: Double) {
        guard let learningRate, learningRate > 0, learningRate.isFinite else { return nil }
        let mu = momentum ?? 0
        self.learningRate = learningRate
        self.momentum = mu
        gradientDescentThreshold = StabilityThreshold.gradientDescent(learningRate: learningRate)
        heavyBallThreshold = StabilityThreshold.heavyBall(learningRate: learningRate, momentum: mu)
        learningRateTimesTopEigenvalue = learningRate * topEigenvalue
        exceedsGradientDescentThreshold = topEigenvalue > gradientDescentThreshold
        exceedsHeavyBallThreshold = topEigenvalue > heavyBallThreshold
    }
}

/// The spectral density without its 10,000-point grid (that goes to `density.csv`): the
/// quadrature rules define it completely together with the kernel variance.
struct DensityRecord: Codable, Equatable {
    var options: SpectralDensityOptions
    var kernelVariance: Double
    var traceEstimate: Double
    var integralBeforeNormalisation: Double
    var operatorApplicationCount: Int
    var quadratureRules: [QuadratureRule]
}

/// Wall-clock seconds of each part and the products they spent.
struct CurvatureTimings: Codable, Equatable {
    var gradientSeconds = 0.0
    var eigenvaluesSeconds = 0.0
    var traceSeconds: Double?
    var densitySeconds: Double?
    /// Hessian-vector products of the whole sample (each is one per batch).
    var hessianVectorProductCount = 0
    /// Mean seconds per product over the eigenvalue, trace and density parts.
    var secondsPerProduct: Double?
}

/// Everything `analysis.json` holds.
struct CurvatureRecord: Codable {
    var tool: String
    var commandLine: String
    var date: String
    var machine: String
    var checkpoint: AnalysedCheckpoint
    /// The parameter tensor the Hessian is restricted to; nil for the whole Hessian.
    var block: ParameterBlock?
    /// n, the dimension of the operator analysed.
    var dimension: Int
    var sample: HessianSampleRecord
    var settings: CurvatureSettings
    var loss: Double
    var accuracy: Double
    /// ‖∇L‖ over every parameter.
    var gradientNorm: Double
    /// ‖∇L‖ over the block's parameters; nil without a block.
    var blockGradientNorm: Double?
    var stability: StabilityRecord?
    var eigenvalues: ExtremeEigenvalueResult
    var trace: TraceEstimate?
    var density: DensityRecord?
    var timings: CurvatureTimings
}

/// One run of `basin curvature`: computes the record, then writes the files.
struct CurvatureAnalysis {
    let settings: CurvatureSettings
    let context: CommandContext
    let checkpoint: LoadedCheckpoint
    let sample: HessianSample
    let block: ParameterBlock?
    private(set) var record: CurvatureRecord?
    /// The smoothed density on its grid (kept out of the JSON).
    private(set) var densityEstimate: SpectralDensityEstimate?

    init(
        settings: CurvatureSettings, context: CommandContext, checkpoint: LoadedCheckpoint,
        sample: HessianSample, block: ParameterBlock?
    ) {
        self.settings = settings
        self.context = context
        self.checkpoint = checkpoint
        self.sample = sample
        self.block = block
    }

    /// Runs every requested estimate on `hessian` (the sample's Hessian or a block of it).
    mutating func compute<Operator: SymmetricOperator>(on hessian: inout Operator) throws {
        let root = SeededGenerator(seed: settings.seed)
        var timings = CurvatureTimings()
        let progress = context.progress

        // Loss, accuracy and gradient norms on the sample.
        var start = monotonicSeconds()
        let gradient = sample.hessian(of: checkpoint.model).gradient()
        let blockGradientNorm = block.map { block in
            Vector.norm(Array(gradient.gradient[block.range]))
        }
        timings.gradientSeconds = elapsedSeconds(since: start)

        // Extreme eigenvalues.
        start = monotonicSeconds()
        let eigenTask = progress.start("eigenvalues", total: nil, unit: "Hv")
        var observed = ObservedOperator(hessian) { _ in eigenTask.advance() }
        var generator = root.derived(stream: 2)
        let eigenvalues = try ExtremeEigenvalues.compute(
            of: &observed, request: settings.eigenvalues, generator: &generator)
        eigenTask.finish()
        timings.eigenvaluesSeconds = elapsedSeconds(since: start)
        var products = eigenvalues.operatorApplicationCount
        var productSeconds = timings.eigenvaluesSeconds

        // Trace, with per-tensor traces when the whole Hessian is analysed.
        var trace: TraceEstimate?
        if let options = settings.trace {
            start = monotonicSeconds()
            let task = progress.start("trace", total: options.maxProbeCount, unit: "probe")
            var observedTrace = ObservedOperator(observed.base) { _ in task.advance() }
            var traceGenerator = root.derived(stream: 3)
            let blocks = block == nil ? sample.hessian(of: checkpoint.model).parameterBlocks : []
            trace = try HutchinsonTrace.estimate(
                of: &observedTrace, options: options, blocks: blocks,
                generator: &traceGenerator)
            task.finish()
            timings.traceSeconds = elapsedSeconds(since: start)
            products += trace!.probeCount
            productSeconds += timings.traceSeconds!
        }

        // Spectral density.
        var density: DensityRecord?
        if let options = settings.density {
            start = monotonicSeconds()
            let task = progress.start(
                "density", total: options.lanczosStepCount * options.probeCount, unit: "Hv")
            var observedDensity = ObservedOperator(observed.base) { _ in task.advance() }
            var densityGenerator = root.derived(stream: 4)
            let estimate = try SpectralDensity.estimate(
                of: &observedDensity, options: options, generator: &densityGenerator)
            task.finish()
            timings.densitySeconds = elapsedSeconds(since: start)
            products += estimate.operatorApplicationCount
            productSeconds += timings.densitySeconds!
            densityEstimate = estimate
            density = DensityRecord(
                options: options, kernelVariance: estimate.kernelVariance,
                traceEstimate: estimate.traceEstimate,
                integralBeforeNormalisation: estimate.integralBeforeNormalisation,
                operatorApplicationCount: estimate.operatorApplicationCount,
                quadratureRules: estimate.quadratureRules)
        }
        timings.hessianVectorProductCount = products
        timings.secondsPerProduct = products > 0 ? productSeconds / Double(products) : nil

        let metadata = checkpoint.metadata
        let model = checkpoint.model
        record = CurvatureRecord(
            tool: "basin \(BasinCommandLine.version)",
            commandLine: (["basin"] + context.arguments).joined(separator: " "),
            date: utcTimestamp(), machine: machineDescription(),
            checkpoint: AnalysedCheckpoint(
                path: checkpoint.url.path, name: checkpoint.name,
                architecture: model.architecture.rawValue, parameterCount: model.parameterCount,
                iteration: metadata.iteration, epoch: metadata.epoch,
                learningRate: metadata.learningRate, momentum: metadata.momentum),
            block: block, dimension: hessian.dimension, sample: sample.record,
            settings: settings, loss: gradient.loss, accuracy: gradient.accuracy,
            gradientNorm: gradient.norm, blockGradientNorm: blockGradientNorm,
            stability: StabilityRecord(
                learningRate: metadata.learningRate, momentum: metadata.momentum,
                topEigenvalue: eigenvalues.largest[0].eigenvalue),
            eigenvalues: eigenvalues, trace: trace, density: density, timings: timings)
    }

    /// Lines for standard output: the headline numbers with their diagnostics.
    func summaryLines() -> [String] {
        guard let record else { return [] }
        var lines: [String] = []
        let subject =
            record.block.map { "block \($0.name) (n = \(record.dimension))" }
            ?? "Hessian (n = \(record.dimension))"
        lines.append(
            "\(record.checkpoint.name): \(subject), loss \(displayNumber(record.loss)), "
                + "gradient norm \(displayNumber(record.gradientNorm))")
        for value in record.eigenvalues.largest + [record.eigenvalues.smallest].compactMap({ $0 }) {
            let label = value.rank == 0 ? "lambda_min" : "lambda_\(value.rank)"
            lines.append(
                "\(label) = \(displayNumber(value.eigenvalue))  (\(value.iterationCount) products, "
                    + "residual \(value.relativeResidual.map(displayNumber) ?? "-"), "
                    + (value.converged ? "converged" : "not converged") + ")")
        }
        if let trace = record.trace {
            lines.append(
                "trace = \(displayNumber(trace.trace)) ± \(displayNumber(trace.standardError)) (standard "
                    + "error, \(trace.probeCount) probes)")
        }
        if let density = record.density {
            lines.append(
                "density: \(density.quadratureRules.count) Lanczos run(s), SLQ trace "
                    + displayNumber(density.traceEstimate))
        }
        if let stability = record.stability {
            lines.append(
                "eta = \(displayNumber(stability.learningRate)), mu = \(displayNumber(stability.momentum)): "
                    + "2/eta = \(displayNumber(stability.gradientDescentThreshold)), (2 + 2mu)/eta = "
                    + "\(displayNumber(stability.heavyBallThreshold)), eta lambda_max = "
                    + displayNumber(stability.learningRateTimesTopEigenvalue))
        }
        lines.append(
            "\(record.timings.hessianVectorProductCount) Hessian-vector products on "
                + "\(record.sample.exampleCount) images, eigenvalues in "
                + "\(displayNumber(record.timings.eigenvaluesSeconds)) s")
        return lines
    }
}

/// A number with four significant digits, for text output.
func displayNumber(_ value: Double) -> String {
    if value == 0 || !value.isFinite { return "\(value)" }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e6 {
        let decimals = max(0, 3 - Int(floor(log10(magnitude))))
        return String(format: "%.\(decimals)f", value)
    }
    return String(format: "%.3e", value)
}
