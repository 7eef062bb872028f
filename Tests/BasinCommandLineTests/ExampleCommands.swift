import Foundation

@testable import BasinCommandLine

// Test-only commands: one that declares every kind of option and positional, a group with
// a nested subcommand, and commands that fail in each way. They prove the parser and the
// help formatter without shipping a fake command in `basin`.

enum ExampleOptimizer: String, CaseIterable, ArgumentValue {
    case sgd
    case adamw
}

/// `KEY=VALUE[,VALUE…]`, the shape of a sweep variation: a custom parser that throws a
/// reason.
struct Variation: Equatable {
    var key: String
    var values: [Double]

    static let parser = ValueParser<Variation>(
        expectation: "KEY=VALUES, e.g. wd=1e-4,5e-4",
        format: { "\($0.key)=" + $0.values.map { "\($0)" }.joined(separator: ",") }
    ) { text in
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty else { throw InvalidValue() }
        let values = try parts[1].split(separator: ",").map { word -> Double in
            guard let value = Double(word) else {
                throw InvalidValue("'\(word)' is not a number")
            }
            return value
        }
        return Variation(key: String(parts[0]), values: values)
    }
}

/// Options shared by several commands, declared once.
struct TrainingOptions: OptionGroup {
    let learningRate = Option<Double>(
        "--lr", valueName: "RATE", default: 0.1, help: "Peak learning rate.")
    let epochs = Option<Int>(
        "--epochs", short: "e", valueName: "N", default: 30, help: "Epochs to train for.")
}

struct ExampleCommand: Command {
    static let configuration = CommandConfiguration(
        name: "example",
        abstract: "Exercise every kind of option and positional argument.",
        discussion: """
            Parses its command line and prints the values it got, one per line. It
            exists for the tests of the parser and of the help text.
            """,
        examples: [
            "basin example --data fashion FIRST.safetensors",
            "basin example --data d --vary wd=1e-4,5e-4 --vary lr=0.1 a 2 x y",
        ])

    let data = Option<URL>("--data", valueName: "PATH", help: "The data set folder.")
    let training = TrainingOptions()
    let optimizer = Option<ExampleOptimizer>(
        "--optimizer", valueName: "NAME", default: .sgd, help: "The optimizer.")
    let alpha = Option<LinearGrid>(
        "--alpha", valueName: "START:END:COUNT",
        default: LinearGrid(start: -0.5, end: 1.5, count: 41),
        help: "Interpolation coefficients, evenly spaced from START to END.")
    let seed = Option<UInt64>("--seed", default: 0, help: "Seed of every random choice.")
    let label = Option<String?>(
        "--label", valueName: "TEXT", help: "A name for the run; none when absent.")
    let batchSize = Option<Int>(
        "--batch-size", valueName: "N", default: 128, help: "Examples per step.",
        parser: Int.argumentParser.checked("a positive integer", reason: "must be at least 1") {
            (value: Int) in value >= 1
        })
    let variations = RepeatedOption<Variation>(
        "--vary", valueName: "KEY=VALUES",
        help: "A hyperparameter and the values it takes; repeat for a grid over several. "
            + "This help text is long on purpose so that the test sees it wrap onto a "
            + "second line under its own column.",
        parser: Variation.parser)
    let tags = RepeatedOption<String>("--tag", help: "A tag to attach.")
    let json = Flag("--json", help: "Print JSON instead of lines.")
    let verbose = Flag("--verbose", short: "v", help: "Print more.")
    let first = Argument<URL>("FIRST", help: "The first checkpoint.")
    let scale = Argument<Double>("SCALE", default: 1, help: "A factor.")
    let extras = VariadicArgument<String>("EXTRA", minimumCount: 0, help: "Anything else.")

    func run(_ context: CommandContext) throws {
        let lines = [
            "data=\(context[data].relativePath)",
            "lr=\(context[training.learningRate])",
            "epochs=\(context[training.epochs])",
            "optimizer=\(context[optimizer].rawValue)",
            "alpha=\(context[alpha])",
            "seed=\(context[seed])",
            "label=\(context[label] ?? "none")",
            "batch-size=\(context[batchSize])",
            "vary=\(context[variations].map { "\($0.key):\($0.values)" })",
            "tag=\(context[tags])",
            "json=\(context[json])",
            "verbose=\(context[verbose])",
            "first=\(context[first].relativePath)",
            "scale=\(context[scale])",
            "extras=\(context[extras])",
            "quiet=\(context.isQuiet)",
            "lr given=\(context.wasGiven(training.learningRate))",
        ]
        context.standardOutput.write(lines.joined(separator: "\n") + "\n")
    }
}

struct MergeExampleCommand: Command {
    static let configuration = CommandConfiguration(
        name: "merge", abstract: "Merge result tables into one.",
        examples: ["basin group merge a.csv b.csv"])

    let tables = VariadicArgument<URL>("TABLE", minimumCount: 2, help: "Tables to merge.")
    let output = Option<URL>(
        "--output", short: "o", valueName: "PATH", default: URL(fileURLWithPath: "merged.csv"),
        help: "Where to write the merged table.")

    func run(_ context: CommandContext) throws {
        let names = context[tables].map(\.relativePath).joined(separator: " ")
        context.standardOutput.write("merge \(names) -> \(context[output].relativePath)\n")
    }
}

struct GroupExampleCommand: Command {
    static let configuration = CommandConfiguration(
        name: "group", abstract: "A group of commands.",
        discussion: "Holds subcommands only.", subcommands: [MergeExampleCommand.self])
}

/// A runtime failure from another module: a file that is not there.
struct MissingFileError: Error, CustomStringConvertible {
    var path: String
    var description: String { "cannot open \(path): no such file" }
}

struct FailingCommand: Command {
    static let configuration = CommandConfiguration(
        name: "fail", abstract: "Fail at run time or with bad usage, as asked.")

    let usage = Flag("--usage", help: "Fail with a usage error instead.")

    func run(_ context: CommandContext) throws {
        if context[usage] {
            throw UsageError.conflict("--usage cannot be combined with itself")
        }
        throw MissingFileError(path: "checkpoints/run/cycle-001.safetensors")
    }
}

/// Reports progress of three steps on a fake clock that advances one second per read.
struct ProgressExampleCommand: Command {
    static let configuration = CommandConfiguration(
        name: "progress", abstract: "Show progress of three steps.")

    let failing = Flag("--fail", help: "Fail after the second step, with the bar on screen.")

    func run(_ context: CommandContext) throws {
        let task = context.progress.start("work", total: 3, unit: "step")
        for step in 1...3 {
            if step == 3 && context[failing] {
                throw MissingFileError(path: "data")
            }
            task.update(completed: step)
        }
        task.finish()
        context.standardOutput.write("done\n")
    }
}

let exampleProgram = Program(
    name: "basin", version: "9.9.9", summary: "a test program",
    commands: [
        HelpCommand.self, ExampleCommand.self, GroupExampleCommand.self, FailingCommand.self,
        ProgressExampleCommand.self,
    ])

/// The outcome of one run of a program on captured streams.
struct RunResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs `program` with `words` (without the program name) and a clock that advances one
/// second at each reading; `terminal` makes standard error pretend to be a terminal.
func run(
    _ words: [String], program: Program = exampleProgram, terminal: Bool = false
) -> RunResult {
    let output = TextWriter.capturing()
    let error = TextWriter.capturing(isTerminal: terminal)
    var seconds = 0.0
    let status = BasinCommandLine.main(
        ["basin"] + words, program: program, standardOutput: output, standardError: error,
        clock: {
            seconds += 1
            return seconds
        })
    return RunResult(
        status: status, standardOutput: output.capturedText,
        standardError: error.capturedText)
}
