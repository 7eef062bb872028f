import BasinAnalysis
import BasinNetwork

/// The options that choose the data, the subsets and the threads of an analysis over
/// checkpoints (`interpolate`, `barriers`).
struct AnalysisDataOptions: OptionGroup {
    let data = Option<String?>(
        "--data", valueName: "SPEC",
        help: "Data set: embedded, fashion-mnist, cifar10:PATH, idx:PATH or a folder "
            + "(default: the one recorded in the checkpoint, else embedded).")
    let batchSize = Option<Int>(
        "--batch-size", valueName: "N", default: 256,
        help: "Evaluation batch size; also the batch of mode batch's statistics.",
        parser: positiveInteger)
    let trainImages = Option<Int>(
        "--train-images", valueName: "N", default: 2000,
        help: "Size of the fixed, unaugmented subset of the training split evaluated.",
        parser: positiveInteger)
    let testImages = Option<Int?>(
        "--test-images", valueName: "N",
        help: "Evaluate a fixed subset of the test split (default: all of it).",
        parser: positiveInteger)
    let statisticsImages = Option<Int>(
        "--bn-images", valueName: "N", default: 2048,
        help: "Training images on which mode reset recomputes BatchNorm statistics.",
        parser: positiveInteger)
    let seed = Option<UInt64>(
        "--seed", valueName: "N", default: 1, help: "Seed of the fixed subsets.")
    let threads = Option<Int?>(
        "--threads", valueName: "N", help: "Threads to use (default: every core).",
        parser: positiveInteger)
    let concurrentPoints = Option<Int>(
        "--concurrent-points", valueName: "N", default: 1,
        help: "α points evaluated at once, each on its own model copy.",
        parser: positiveInteger)
    let model = Option<Architecture?>(
        "--model", valueName: "ARCH",
        help: "Architecture of checkpoints without metadata (default: from tensor names).",
        parser: .cases)
    let classes = Option<Int?>(
        "--classes", valueName: "N",
        help: "Classes of checkpoints without metadata (default: from the last layer).",
        parser: positiveInteger)
}

/// A positive `Int`.
let positiveInteger = Int.argumentParser.checked("a positive integer", reason: "must be ≥ 1") {
    $0 >= 1
}

/// `--alpha START:END:COUNT` as an interpolation grid, START below END.
func alphaGridOption(default grid: AlphaGrid, help: String) -> Option<AlphaGrid> {
    let parser = ValueParser<AlphaGrid>(
        expectation: "START:END:COUNT with START < END, e.g. -0.5:1.5:41",
        format: { $0.description }
    ) { text in
        do {
            return try AlphaGrid(parsing: text)
        } catch {
            throw InvalidValue()
        }
    }
    return Option<AlphaGrid>(
        "--alpha", valueName: "START:END:COUNT", default: grid, help: help, parser: parser)
}

/// `--bn`: one BatchNorm mode or all three.
enum BatchNormChoice: String, CaseIterable {
    case interp, reset, batch, all

    var modes: [InterpolationBatchNormMode] {
        switch self {
        case .interp: [.interp]
        case .reset: [.reset]
        case .batch: [.batch]
        case .all: InterpolationBatchNormMode.allCases
        }
    }
}
