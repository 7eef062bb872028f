import BasinCheckpoint
import BasinTraining
import Foundation

/// The sizes of the demo: meant to finish in about three minutes on two cores, large enough
/// that every analysis has something to measure.
struct DemoSettings: Equatable {
    var seed: UInt64 = 1
    var cycleCount = 4
    /// Half a cycle, in epochs of the embedded training split (78 steps of 128 images).
    var halfCycleEpochs = 0.5
    var snapshotEvery = "0.125ep"
    var momentum = 0.9
    var weightDecay = 5e-4
    var alphaGrid = "-0.5:1.5:17"
    var testImages = 500
    var trainImages = 500
    var statisticsImages = 256
    var curvatureSamples = 128
    var curvatureIterations = 12
    var curvatureEvery = 4
    var threads: Int?

    var epochs: Double { Double(cycleCount) * 2 * halfCycleEpochs }
}

/// The command lines the demo runs, each a `basin` subcommand, so that every number in the
/// demo comes from the same code a user runs by hand.
struct DemoPlan {
    var settings: DemoSettings
    /// The folder of the demo's analyses (`analyses/demo`).
    var output: URL
    /// The folder of the demo's training run (`checkpoints/demo`).
    var run: URL

    var lrFindFolder: URL { output.appendingPathComponent("lr-find") }
    var barriersFolder: URL { output.appendingPathComponent("barriers") }
    var trajectoryFolder: URL { output.appendingPathComponent("trajectory") }

    func interpolationFolder(_ pair: DemoPair) -> URL {
        output.appendingPathComponent("interpolate-\(pair.label)")
    }

    private var common: [String] {
        var words = ["--seed", String(settings.seed)]
        if let threads = settings.threads { words += ["--threads", String(threads)] }
        return words
    }

    /// The exponential LR range test of `cnn`.
    var lrFind: [String] {
        [
            "lr-find", "--model", "cnn", "--data", "embedded", "--weight-decay",
            "\(settings.weightDecay)", "--out", lrFindFolder.path,
        ] + common
    }

    /// The schedule for the given bounds: triangular, constant momentum.
    func schedule(base: Double, maximum: Double) -> String {
        "clr:mode=triangular,base=\(base),max=\(maximum),step=\(settings.halfCycleEpochs)ep,"
            + "momentum=\(settings.momentum)"
    }

    /// The triangular CLR run with SGD and momentum, snapshots on every branch.
    func train(base: Double, maximum: Double) -> [String] {
        [
            "train", "--model", "cnn", "--data", "embedded", "--optimizer", "sgd",
            "--weight-decay", "\(settings.weightDecay)",
            "--schedule", schedule(base: base, maximum: maximum),
            "--epochs", "\(settings.epochs)", "--save-every", settings.snapshotEvery,
            "--out", run.path, "--force",
        ] + common
    }

    /// Interpolation of one pair in every BatchNorm mode.
    func interpolate(_ pair: DemoPair) -> [String] {
        [
            "interpolate", run.appendingPathComponent(pair.start).path,
            run.appendingPathComponent(pair.end).path, "--bn", "all",
            "--alpha", settings.alphaGrid, "--test-images", String(settings.testImages),
            "--train-images", String(settings.trainImages),
            "--bn-images", String(settings.statisticsImages),
            "--out", interpolationFolder(pair).path,
        ] + common
    }

    /// The barrier matrix over the cycle ends.
    var barriers: [String] {
        [
            "barriers", run.path, "--test-images", String(settings.testImages),
            "--train-images", String(settings.trainImages), "--bn-images",
            String(settings.statisticsImages), "--out", barriersFolder.path,
        ]
            + common
    }

    /// λ_max along the run against 2/η, with batch statistics: the Hessian of the loss the
    /// steps descend, which running statistics would misstate at high rates.
    var trajectory: [String] {
        [
            "trajectory", run.path, "--samples", String(settings.curvatureSamples), "--bn", "batch",
            "--max-iterations", String(settings.curvatureIterations), "--trace-probes", "2",
            "--every", String(settings.curvatureEvery), "--out", trajectoryFolder.path,
        ] + common
    }
}

/// Two checkpoint files of the demo run to interpolate between.
struct DemoPair: Equatable {
    var start: String
    var end: String
    var label: String
    /// Whether both lie on one descending branch of one cycle (the control pair).
    var isBranch: Bool
}

extension DemoPlan {
    /// Consecutive cycle ends, and the control pair: the snapshot nearest the middle of the
    /// last cycle's descending branch with that cycle's end.
    /// - Throws: `AnalysisRunError` when the run has fewer than two cycle ends.
    static func pairs(in manifest: RunManifest) throws -> [DemoPair] {
        let cycles = manifest.checkpoints.filter { $0.kind == .cycle }.sorted {
            $0.iteration < $1.iteration
        }
        guard cycles.count >= 2 else {
            throw DemoError.tooFewCycles(found: cycles.count)
        }
        var pairs: [DemoPair] = []
        for (first, second) in zip(cycles, cycles.dropFirst()) {
            pairs.append(
                DemoPair(
                    start: first.file, end: second.file,
                    label: "c\(first.cycle ?? 0)-c\(second.cycle ?? 0)", isBranch: false))
        }
        // The last cycle's peak is halfway between the two last cycle ends.
        let last = cycles[cycles.count - 1]
        let previous = cycles[cycles.count - 2]
        let peak = Double(previous.iteration + last.iteration) / 2
        let middle = (peak + Double(last.iteration)) / 2
        let onBranch = manifest.checkpoints.filter {
            $0.kind == .snapshot && Double($0.iteration) > peak && $0.iteration < last.iteration
        }
        if let snapshot = onBranch.min(by: {
            abs(Double($0.iteration) - middle) < abs(Double($1.iteration) - middle)
        }) {
            pairs.append(
                DemoPair(
                    start: snapshot.file, end: last.file,
                    label: "branch-\(snapshot.iteration)-c\(last.cycle ?? 0)", isBranch: true))
        }
        return pairs
    }
}

/// Why the demo could not go on.
enum DemoError: Error, CustomStringConvertible {
    case stepFailed(command: String, status: Int32)
    case tooFewCycles(found: Int)
    case noSuggestion(String)

    var description: String {
        switch self {
        case .stepFailed(let command, let status):
            "the demo step 'basin \(command)' failed with status \(status); its message is above"
        case .tooFewCycles(let found):
            "the demo run ended with \(found) cycle checkpoint(s); at least two are needed"
        case .noSuggestion(let path):
            "the range test in \(path) gave no usable learning rate"
        }
    }
}
