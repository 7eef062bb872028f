import BasinAnalysis
import BasinKernels
import BasinNetwork
import Foundation

/// The options of `basin trajectory`.
struct TrajectorySettings: Codable, Equatable {
    var eigenvalues: ExtremeEigenvalueRequest
    var trace: HutchinsonOptions
    var every: Int
    var seed: UInt64
}

/// The curvature at one checkpoint of the trajectory.
struct TrajectoryPoint: Codable, Equatable {
    var file: String
    var iteration: Int
    /// η and μ of the last step before the checkpoint (the rate "in force" there).
    var learningRate: Double?
    var momentum: Double?
    var loss: Double
    var gradientNorm: Double
    var topEigenvalue: ExtremeEigenvalue
    var trace: Double
    var traceStandardError: Double
    var traceProbeCount: Int
    /// 2/η and (2 + 2μ)/η; nil when η is not positive.
    var gradientDescentThreshold: Double?
    var heavyBallThreshold: Double?
}

/// The three secant estimates for the step from one checkpoint to the next.
struct SecantPoint: Codable, Equatable {
    /// i, where the step starts, and the iteration it ends at.
    var iteration: Int
    var nextIteration: Int
    /// ε, the rate of the step leaving iteration i.
    var learningRate: Double?
    /// Smith's published quantities (nil before three evenly spaced checkpoints).
    var smith: SmithSecantStep?
    /// The momentum-corrected secant (nil unless four consecutive iterations).
    var momentum: MomentumSecantStep?
    /// sᵀHs/sᵀs at θᵢ for s = θ_next − θᵢ, and its inverse.
    var hessianCurvature: DirectionalCurvature?
}

/// Everything `analysis.json` of a trajectory holds.
struct TrajectoryRecord: Codable {
    var tool: String
    var commandLine: String
    var date: String
    var machine: String
    var runFolder: String
    var architecture: String
    var parameterCount: Int
    var sample: HessianSampleRecord
    var settings: TrajectorySettings
    var points: [TrajectoryPoint]
    var secants: [SecantPoint]
    /// The learning rate and momentum at every checkpoint, analysed or not.
    var schedule: [SchedulePoint]
    var elapsedSeconds: Double
}

struct SchedulePoint: Codable, Equatable {
    var iteration: Int
    var learningRate: Double?
    var momentum: Double?
}

/// One run of `basin trajectory`.
struct TrajectoryAnalysis {
    let runFolder: URL
    let entries: [TrajectoryEntry]
    let settings: TrajectorySettings
    let context: CommandContext
    private(set) var record: TrajectoryRecord?

    init(
        runFolder: URL, entries: [TrajectoryEntry], settings: TrajectorySettings,
        context: CommandContext
    ) {
        self.runFolder = runFolder
        self.entries = entries
        self.settings = settings
        self.context = context
    }

    /// Loads the checkpoints one at a time and computes every point and secant.
    mutating func compute(sampleOptions: HessianSampleOptions, retainedPassByteLimit: Int) throws {
        let start = monotonicSeconds()
        let first = try LoadedCheckpoint(contentsOf: entries[0].url)
        var sample = try HessianSample(for: first, options: sampleOptions, context: context)
        sample.retainedPassByteLimit = retainedPassByteLimit
        let root = SeededGenerator(seed: settings.seed)
        var points: [TrajectoryPoint] = []
        var secants: [SecantPoint] = []
        var smith = SecantWindow()
        var momentum: MomentumSecantEstimator?
        var previous: (index: Int, checkpoint: LoadedCheckpoint)?

        let task = context.progress.start(
            "trajectory", total: entries.count, unit: "checkpoint")
        for (index, entry) in entries.enumerated() {
            let loaded = index == 0 ? first : try LoadedCheckpoint(contentsOf: entry.url)
            guard loaded.model.parameterCount == first.model.parameterCount,
                loaded.model.architecture == first.model.architecture
            else {
                throw AnalysisError.mismatchedModels(
                    "\(entry.url.path) is a \(loaded.model.architecture.rawValue) of "
                        + "\(loaded.model.parameterCount) parameters, \(entries[0].url.path) a "
                        + "\(first.model.architecture.rawValue) of "
                        + "\(first.model.parameterCount)")
            }
            let leaving = entries.stepLeaving(index)

            // The step from the previous checkpoint: the three secants.
            if let previous {
                var secant = SecantPoint(
                    iteration: entries[previous.index].iteration, nextIteration: entry.iteration,
                    learningRate: entries.stepLeaving(previous.index).learningRate)
                var step = loaded.model.parameters
                Vector.axpy(-1, previous.checkpoint.model.parameters, &step)
                if Vector.dot(step, step) > 0 {
                    var hessian = sample.hessian(of: previous.checkpoint.model)
                    secant.hessianCurvature = try DirectionalCurvatureEstimator.alongDirection(
                        of: &hessian, direction: step)
                }
                secants.append(secant)
            }

            // Smith's estimate over all weights and BatchNorm buffers, on evenly spaced
            // checkpoints; its step belongs to the secant that starts two checkpoints back.
            if let step = try smith.append(
                state: loaded.model.parameters + loaded.model.runningStatistics,
                iteration: entry.iteration, learningRate: leaving.learningRate)
            {
                if let target = secants.lastIndex(where: { $0.iteration == step.iteration }) {
                    secants[target].smith = step
                }
            }

            // The momentum-corrected secant on runs of consecutive iterations.
            if let rate = leaving.learningRate, rate > 0 {
                if previous.map({ entries[$0.index].iteration + 1 != entry.iteration }) ?? true {
                    momentum = MomentumSecantEstimator(
                        convention: .pytorch, weightDecay: entry.weightDecay ?? 0)
                }
                if let step = try momentum?.append(
                    parameters: loaded.model.parameters, iteration: entry.iteration,
                    learningRate: rate, momentum: leaving.momentum ?? 0)
                {
                    if let target = secants.lastIndex(where: { $0.iteration == step.iteration }) {
                        secants[target].momentum = step
                    }
                }
            } else {
                momentum = nil
            }

            // Curvature at this checkpoint.
            if index % settings.every == 0 || index == entries.count - 1 {
                points.append(
                    try curvature(
                        at: loaded, entry: entry, sample: sample,
                        generator: root.derived(stream: UInt64(2 + index))))
            }
            task.advance(detail: "iteration \(entry.iteration)")
            previous = (index, loaded)
        }
        task.finish()

        record = TrajectoryRecord(
            tool: "basin \(BasinCommandLine.version)",
            commandLine: (["basin"] + context.arguments).joined(separator: " "),
            date: utcTimestamp(), machine: machineDescription(), runFolder: runFolder.path,
            architecture: first.model.architecture.rawValue,
            parameterCount: first.model.parameterCount, sample: sample.record,
            settings: settings, points: points, secants: secants,
            schedule: entries.map {
                SchedulePoint(
                    iteration: $0.iteration, learningRate: $0.learningRate, momentum: $0.momentum)
            },
            elapsedSeconds: elapsedSeconds(since: start))
    }

    /// λ_max and the trace of one checkpoint.
    private func curvature(
        at checkpoint: LoadedCheckpoint, entry: TrajectoryEntry, sample: HessianSample,
        generator: SeededGenerator
    ) throws -> TrajectoryPoint {
        var hessian = sample.hessian(of: checkpoint.model)
        let gradient = hessian.gradient()
        var eigenGenerator = generator.derived(stream: 1)
        let top = try ExtremeEigenvalues.compute(
            of: &hessian, request: settings.eigenvalues, generator: &eigenGenerator)
        var traceGenerator = generator.derived(stream: 2)
        let trace = try HutchinsonTrace.estimate(
            of: &hessian, options: settings.trace, generator: &traceGenerator)
        let rate = entry.learningRate.flatMap { $0 > 0 ? $0 : nil }
        return TrajectoryPoint(
            file: entry.url.lastPathComponent, iteration: entry.iteration,
            learningRate: entry.learningRate, momentum: entry.momentum, loss: gradient.loss,
            gradientNorm: gradient.norm, topEigenvalue: top.largest[0], trace: trace.trace,
            traceStandardError: trace.standardError, traceProbeCount: trace.probeCount,
            gradientDescentThreshold: rate.map {
                StabilityThreshold.gradientDescent(learningRate: $0)
            },
            heavyBallThreshold: rate.map {
                StabilityThreshold.heavyBall(learningRate: $0, momentum: entry.momentum ?? 0)
            })
    }
}

/// Smith's estimator over a stream of checkpoints that may not all be evenly spaced: a
/// triple whose two spacings differ is not a secant of the published kind, so the
/// estimator restarts there, carrying its moving average over.
struct SecantWindow {
    private var estimator = SmithSecantEstimator()
    private var iterations: [Int] = []
    private var states: [[Float]] = []
    private var rates: [Double] = []

    mutating func append(state: [Float], iteration: Int, learningRate: Double?) throws
        -> SmithSecantStep?
    {
        guard let learningRate else {
            restart()
            return nil
        }
        if iterations.count >= 2 {
            let spacing = iterations[iterations.count - 1] - iterations[iterations.count - 2]
            if iteration - iterations[iterations.count - 1] != spacing {
                // Keep the last checkpoint as the start of a new run of even spacing.
                let (lastState, lastIteration, lastRate) = (
                    states.last!, iterations.last!, rates.last!
                )
                restart()
                _ = try estimator.append(
                    parameters: lastState, iteration: lastIteration, learningRate: lastRate)
                (states, iterations, rates) = ([lastState], [lastIteration], [lastRate])
            }
        }
        let step = try estimator.append(
            parameters: state, iteration: iteration, learningRate: learningRate)
        states = Array((states + [state]).suffix(2))
        iterations = Array((iterations + [iteration]).suffix(2))
        rates = Array((rates + [learningRate]).suffix(2))
        return step
    }

    private mutating func restart() {
        estimator = SmithSecantEstimator(initialValue: estimator.movingAverage)
        (states, iterations, rates) = ([], [], [])
    }
}
