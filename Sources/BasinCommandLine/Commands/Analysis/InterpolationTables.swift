import BasinAnalysis
import Foundation

/// The CSV tables and terminal lines of interpolation results.
enum InterpolationTables {
    /// Every point of every curve: `mode,split,alpha,loss,error,negative_variances`.
    static func curves(_ curves: [InterpolationCurve]) -> CSVTable {
        var table = CSVTable(columns: [
            "mode", "split", "alpha", "loss", "error", "negative_variances",
        ])
        for curve in curves {
            for point in curve.points {
                table.append([
                    .text(curve.mode.rawValue), .text(curve.split), .number(point.alpha),
                    .number(point.loss), .number(point.error),
                    .integer(point.negativeVarianceCount),
                ])
            }
        }
        return table
    }

    static let barrierColumns = [
        "b_mean", "alpha_b_mean", "b_lin", "alpha_b_lin", "b_max", "alpha_b_max", "value_at_0",
        "value_at_1", "alpha_of_minimum", "alpha_of_minimum_in_0_1", "non_finite_in_0_1",
    ]

    /// The fields of `barrierColumns` for one curve quantity.
    static func barrierFields(_ heights: BarrierHeights) -> [CSVField] {
        [
            .number(heights.mean.height), .number(heights.mean.alpha),
            .number(heights.linear.height), .number(heights.linear.alpha),
            .number(heights.maximum.height), .number(heights.maximum.alpha),
            .number(heights.startValue), .number(heights.endValue),
            .number(heights.alphaOfMinimum), .number(heights.alphaOfInteriorMinimum),
            .integer(heights.nonFiniteCount),
        ]
    }

    /// The three barrier heights with their α, for loss and error, per split and mode.
    static func barriers(_ curves: [InterpolationCurve]) -> CSVTable {
        var table = CSVTable(columns: ["mode", "split", "quantity"] + barrierColumns)
        for curve in curves {
            for (quantity, heights) in [("loss", curve.lossBarrier), ("error", curve.errorBarrier)]
            {
                table.append(
                    [.text(curve.mode.rawValue), .text(curve.split), .text(quantity)]
                        + barrierFields(heights))
            }
        }
        return table
    }

    /// Distance, relative distance and cosine of every parameter tensor, then the whole.
    static func layers(_ distance: WeightDistance) -> CSVTable {
        var table = CSVTable(columns: [
            "tensor", "distance", "relative_distance", "cosine_similarity",
        ])
        for layer in distance.layers {
            table.append([
                .text(layer.name), .number(layer.distance), .number(layer.relativeDistance),
                .number(layer.cosineSimilarity),
            ])
        }
        table.append([
            "all", .number(distance.distance), .number(distance.relativeDistance),
            .number(distance.cosineSimilarity),
        ])
        return table
    }

    /// Aligned lines of the barriers for the terminal.
    static func summaryLines(_ curves: [InterpolationCurve]) -> [String] {
        let header = [
            "mode", "split", "quantity", "f(0)", "f(1)", "B_mean", "B_lin", "B_max", "at α",
            "α of min",
        ]
        var rows: [[String]] = []
        for curve in curves {
            for (quantity, heights) in [("loss", curve.lossBarrier), ("error", curve.errorBarrier)]
            {
                rows.append([
                    curve.mode.rawValue, curve.split, quantity, format(heights.startValue),
                    format(heights.endValue), format(heights.mean.height),
                    format(heights.linear.height), format(heights.maximum.height),
                    format(heights.mean.alpha, digits: 3),
                    format(heights.alphaOfMinimum, digits: 3),
                ])
            }
        }
        return aligned([header] + rows)
    }

    /// `value` with `digits` significant digits; `nan` and `inf` as such.
    static func format(_ value: Double, digits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : value > 0 ? "inf" : "-inf" }
        return String(format: "%.\(digits)g", value)
    }

    /// Rows padded to common column widths, two spaces apart.
    static func aligned(_ rows: [[String]]) -> [String] {
        let widths = rows[0].indices.map { column in
            rows.map { $0[column].count }.max() ?? 0
        }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
