/// A curvature result as a table with named columns, for the CSV files of an analysis.
///
/// Cells are already text: numbers in Swift's shortest decimal form that reads back to the
/// same Double (`Double.description`, as the command line's CSV writer prints numbers), a
/// missing value (an optional that is nil) as an empty cell. Quoting and line endings are
/// the CSV writer's business: `CSVTable(columns: table.columns)`, then one `append` per
/// row with every cell as `.text`.
public struct CurvatureTable: Equatable, Sendable {
    public var columns: [String]
    public var rows: [[String]]

    /// - Precondition: every row has one cell per column.
    public init(columns: [String], rows: [[String]]) {
        precondition(
            rows.allSatisfy { $0.count == columns.count },
            "CurvatureTable: rows must have \(columns.count) cells, columns \(columns)")
        self.columns = columns
        self.rows = rows
    }

    static func field(_ value: Double?) -> String { value.map(\.description) ?? "" }
    static func field(_ value: Int) -> String { "\(value)" }
    static func field(_ value: Bool) -> String { value ? "true" : "false" }
}

extension SpectralDensityEstimate {
    /// eigenvalue, density: the smoothed density on its grid.
    public var densityTable: CurvatureTable {
        CurvatureTable(
            columns: ["eigenvalue", "density"],
            rows: zip(grid, density).map { [CurvatureTable.field($0), CurvatureTable.field($1)] })
    }

    /// probe, node, weight: every probe's quadrature (probes numbered from 1).
    public var quadratureTable: CurvatureTable {
        CurvatureTable(
            columns: ["probe", "node", "weight"],
            rows: quadratureRules.enumerated().flatMap { probe, rule in
                zip(rule.nodes, rule.weights).map {
                    [
                        CurvatureTable.field(probe + 1), CurvatureTable.field($0),
                        CurvatureTable.field($1),
                    ]
                }
            })
    }
}

extension TraceEstimate {
    /// probe, sample, running_mean, standard_error.
    public var historyTable: CurvatureTable {
        CurvatureTable(
            columns: ["probe", "sample", "running_mean", "standard_error"],
            rows: history.map {
                [
                    CurvatureTable.field($0.probeCount), CurvatureTable.field($0.sample),
                    CurvatureTable.field($0.runningMean), CurvatureTable.field($0.standardError),
                ]
            })
    }

    /// block, lower_bound, upper_bound, trace, standard_error.
    public var blockTable: CurvatureTable {
        CurvatureTable(
            columns: ["block", "lower_bound", "upper_bound", "trace", "standard_error"],
            rows: blockTraces.map {
                [
                    $0.block.name, CurvatureTable.field($0.block.lowerBound),
                    CurvatureTable.field($0.block.upperBound), CurvatureTable.field($0.trace),
                    CurvatureTable.field($0.standardError),
                ]
            })
    }
}

extension CurvatureTable {
    /// eigenvalue_index, eigenvalue, iterations, converged, residual_norm,
    /// relative_residual, shift: one row per power-iteration estimate (index from 1).
    public static func eigenvalues(_ estimates: [EigenvalueEstimate]) -> CurvatureTable {
        CurvatureTable(
            columns: [
                "eigenvalue_index", "eigenvalue", "iterations", "converged", "residual_norm",
                "relative_residual", "shift",
            ],
            rows: estimates.enumerated().map { index, estimate in
                [
                    field(index + 1), field(estimate.eigenvalue), field(estimate.iterationCount),
                    field(estimate.converged), field(estimate.residualNorm),
                    field(estimate.relativeResidual), field(estimate.shift),
                ]
            })
    }

    /// eigenvalue_index, iteration, rayleigh_quotient: the convergence histories.
    public static func convergenceHistories(_ estimates: [EigenvalueEstimate]) -> CurvatureTable {
        CurvatureTable(
            columns: ["eigenvalue_index", "iteration", "rayleigh_quotient"],
            rows: estimates.enumerated().flatMap { index, estimate in
                estimate.rayleighQuotientHistory.enumerated().map {
                    [field(index + 1), field($0 + 1), field($1)]
                }
            })
    }

    /// ritz_value, residual_norm, relative_residual, weight, ascending.
    public static func ritzValues(_ spectrum: RitzSpectrum) -> CurvatureTable {
        CurvatureTable(
            columns: ["ritz_value", "residual_norm", "relative_residual", "weight"],
            rows: spectrum.ritzValues.map {
                [
                    field($0.value), field($0.residualNorm), field($0.relativeResidual),
                    field($0.weight),
                ]
            })
    }

    /// iteration, learning_rate, first_difference_l1, second_difference_l1, estimate,
    /// moving_average: Smith's published curve.
    public static func smithSecant(_ steps: [SmithSecantStep]) -> CurvatureTable {
        CurvatureTable(
            columns: [
                "iteration", "learning_rate", "first_difference_l1", "second_difference_l1",
                "estimate", "moving_average",
            ],
            rows: steps.map {
                [
                    field($0.iteration), field($0.learningRate), field($0.firstDifferenceL1),
                    field($0.secondDifferenceL1), field($0.estimate), field($0.movingAverage),
                ]
            })
    }

    /// iteration, learning_rate, momentum, curvature_along_step, learning_rate_along_step,
    /// l1_learning_rate: the momentum-corrected secant.
    public static func momentumSecant(_ steps: [MomentumSecantStep]) -> CurvatureTable {
        CurvatureTable(
            columns: [
                "iteration", "learning_rate", "momentum", "curvature_along_step",
                "learning_rate_along_step", "l1_learning_rate",
            ],
            rows: steps.map {
                [
                    field($0.iteration), field($0.learningRate), field($0.momentum),
                    field($0.curvatureAlongStep), field($0.learningRateAlongStep),
                    field($0.l1LearningRate),
                ]
            })
    }
}
