import BasinCheckpoint
import BasinReport
import BasinTraining
import Foundation

/// `basin schedule`: the learning rate and momentum of a schedule, step by step.
struct ScheduleCommand: Command {
    static let configuration = CommandConfiguration(
        name: "schedule",
        abstract: "Print a schedule's learning rate and momentum per step, and draw it.",
        discussion: """
            Prints the CSV 'iteration,lr,momentum' for steps 0 ... N-1: step t of training
            uses the row of iteration t (PyTorch's indexing). Lengths in the
            specification may be given in epochs (2ep) when --iters-per-epoch is set.
            With --svg the schedule is drawn: the rate on the left axis, the momentum on
            the right one, cycle ends as dashed lines.

            """ + scheduleHelpText,
        examples: [
            "basin schedule onecycle:max=0.1,total=1000 --iters 1000",
            "basin schedule clr:base=0.001,max=0.006,step=2ep --iters 3000 "
                + "--iters-per-epoch 250 --svg clr.svg",
        ])

    let specification = Argument<String>(
        "SPEC", help: "The schedule, such as clr:base=0.01,max=0.1,step=2000.")
    let iterations = Option<Int>(
        "--iters", valueName: "N", help: "Number of steps to print.",
        parser: TrainingValues.positiveInteger)
    let iterationsPerEpoch = Option<Int?>(
        "--iters-per-epoch", valueName: "K", help: "Steps per epoch, for lengths such as 2ep.",
        parser: TrainingValues.positiveInteger)
    let svg = Option<URL?>(
        "--svg", valueName: "PATH", help: "Also draw the schedule into this SVG file.")

    func run(_ context: CommandContext) throws {
        let schedule: Schedule
        do {
            schedule = try Schedule(
                parsing: context[specification], iterationsPerEpoch: context[iterationsPerEpoch])
        } catch let error as ScheduleError {
            throw UsageError.invalidValue(
                option: "SPEC", expected: "KIND:key=value,... (see 'basin schedule --help')",
                found: context[specification], reason: error.description)
        }
        let count = context[iterations]
        let values = schedule.values(count: count)
        var table = CSVTable(columns: ["iteration", "lr", "momentum"])
        for (iteration, value) in values.enumerated() {
            table.append([
                .integer(iteration), .number(value.learningRate), .number(value.momentum),
            ])
        }
        context.standardOutput.write(table.text)

        if let url = context[svg] {
            let steps = values.indices.map(Double.init)
            let chart = LineChart(
                title: schedule.specification, xAxis: .linear(label: "iteration"),
                yAxis: .linear(label: "learning rate"),
                secondaryYAxis: .linear(label: "momentum")
            )
            .adding(series: "learning rate", x: steps, y: values.map(\.learningRate))
            .adding(
                series: "momentum", x: steps, y: values.map(\.momentum), lineStyle: .dashed,
                axis: .secondary
            )
            .adding(
                schedule.cycleEndIterations(upTo: count).map {
                    ReferenceLine.vertical(at: Double($0))
                })
            try writeAtomically(chart.svg(), to: url)
            context.progress.note("wrote \(url.relativePath)")
        }
    }
}
