import BasinAnalysis

/// The CSV tables and terminal lines of a barrier matrix.
enum BarrierTables {
    /// One row per pair and split: barriers of loss and error, distance, disagreement.
    static func pairs(_ matrix: BarrierMatrix) -> CSVTable {
        let barrierColumns = ["loss", "error"].flatMap { quantity in
            ["b_mean", "b_lin", "b_max", "alpha_of_max"].map { "\(quantity)_\($0)" }
        }
        var table = CSVTable(
            columns: ["first", "second", "split"] + barrierColumns + [
                "distance", "relative_distance", "cosine_similarity", "test_disagreement",
                "test_disagreement_over_mean_error",
            ])
        for pair in matrix.pairs {
            for barrier in pair.splitBarriers {
                let heights = [barrier.loss, barrier.error].flatMap { heights -> [CSVField] in
                    [
                        .number(heights.mean.height), .number(heights.linear.height),
                        .number(heights.maximum.height), .number(heights.mean.alpha),
                    ]
                }
                table.append(
                    [
                        .text(matrix.names[pair.first]), .text(matrix.names[pair.second]),
                        .text(barrier.split),
                    ] + heights + [
                        .number(pair.distance.distance), .number(pair.distance.relativeDistance),
                        .number(pair.distance.cosineSimilarity), .number(pair.disagreement),
                        .number(pair.normalizedDisagreement),
                    ])
            }
        }
        return table
    }

    /// The snapshot ensemble of the first k checkpoints, for every k.
    static func ensembles(_ matrix: BarrierMatrix) -> CSVTable {
        var table = CSVTable(columns: ["members", "last_member", "test_loss", "test_error"])
        for ensemble in matrix.ensembles {
            table.append([
                .integer(ensemble.memberCount), .text(matrix.names[ensemble.memberCount - 1]),
                .number(ensemble.loss), .number(ensemble.error),
            ])
        }
        return table
    }

    /// What each checkpoint is and how it does alone.
    static func checkpoints(_ summaries: [EndpointSummary]) -> CSVTable {
        let splits = summaries.first?.evaluation.map(\.split) ?? []
        var table = CSVTable(
            columns: ["name", "iteration", "cycle", "learning_rate"]
                + splits.flatMap { ["\($0)_loss", "\($0)_error"] } + ["recorded_metrics"])
        for summary in summaries {
            let optional = { (value: Int?) in value.map(CSVField.integer) ?? .empty }
            table.append(
                [
                    .text(summary.name), optional(summary.iteration), optional(summary.cycle),
                    summary.learningRate.map(CSVField.number) ?? .empty,
                ]
                    + summary.evaluation.flatMap { [.number($0.loss), .number($0.error)] }
                    + [.text(summary.metricCheck.status.rawValue)])
        }
        return table
    }

    /// Aligned lines for the terminal: pairs, then ensembles.
    static func summaryLines(_ report: BarrierReport) -> [String] {
        let matrix = report.matrix
        let format = { (value: Double) in InterpolationTables.format(value) }
        var pairRows = [
            [
                "pair", "split", "loss B_mean", "B_max", "error B_mean", "B_max", "distance",
                "disagree", "/mean error",
            ]
        ]
        for pair in matrix.pairs {
            for barrier in pair.splitBarriers {
                pairRows.append([
                    "\(matrix.names[pair.first]) – \(matrix.names[pair.second])", barrier.split,
                    format(barrier.loss.mean.height), format(barrier.loss.maximum.height),
                    format(barrier.error.mean.height), format(barrier.error.maximum.height),
                    format(pair.distance.distance), format(pair.disagreement),
                    format(pair.normalizedDisagreement),
                ])
            }
        }
        var ensembleRows = [["ensemble of first k", "test loss", "test error", "alone: error"]]
        for (ensemble, alone) in zip(matrix.ensembles, matrix.individual) {
            ensembleRows.append([
                "k = \(ensemble.memberCount)", format(ensemble.loss), format(ensemble.error),
                format(alone.error),
            ])
        }
        return ["BatchNorm mode \(matrix.mode.rawValue), grid \(report.grid)"]
            + InterpolationTables.aligned(pairRows) + InterpolationTables.aligned(ensembleRows)
    }
}
