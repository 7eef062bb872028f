import Foundation

/// A matrix drawn as coloured cells with their values written in them: a barrier matrix
/// between cycle ends, a disagreement matrix.
///
/// Rows run top to bottom and columns left to right, as the matrix is printed. Colours
/// come from viridis over `colorRange` (the finite values' extent by default); values
/// outside the range take the end colours. NaN and infinite cells are grey and labelled
/// `NaN` (or `∞`), and a grey swatch in the legend says so.
public struct HeatMap: SVGChart, Equatable {
    public var title: String
    /// `values[row][column]`.
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var rowAxisLabel: String
    public var columnAxisLabel: String
    /// The label of the colour bar (what the values are, with units).
    public var valueLabel: String
    /// The values mapped to the ends of the colour scale. The scale is linear only; a
    /// matrix spanning decades should be passed as log₁₀ values with a label saying so.
    public var colorRange: ClosedRange<Double>?
    /// Significant digits of the numbers written in cells; nil writes none.
    public var cellLabelDigits: Int?

    /// - Precondition: `values` is rectangular and the labels match its shape.
    public init(
        title: String = "", values: [[Double]], rowLabels: [String], columnLabels: [String],
        rowAxisLabel: String = "", columnAxisLabel: String = "", valueLabel: String = "",
        colorRange: ClosedRange<Double>? = nil, cellLabelDigits: Int? = 3
    ) {
        precondition(
            values.count == rowLabels.count,
            "heat map: \(values.count) rows but \(rowLabels.count) row labels")
        precondition(
            values.allSatisfy { $0.count == columnLabels.count },
            "heat map: rows have \(values.map(\.count)) values for \(columnLabels.count) columns")
        self.title = title
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.rowAxisLabel = rowAxisLabel
        self.columnAxisLabel = columnAxisLabel
        self.valueLabel = valueLabel
        self.colorRange = colorRange
        self.cellLabelDigits = cellLabelDigits
    }

    /// The range the colours span.
    var resolvedRange: ClosedRange<Double> {
        if let colorRange, colorRange.lowerBound < colorRange.upperBound { return colorRange }
        return Ticks.domain(fitting: values.flatMap { $0 }, scale: .linear, paddingFraction: 0)
    }

    func cellText(_ value: Double) -> String? {
        guard let digits = cellLabelDigits else { return nil }
        return TextFormatting.number(value, significantDigits: digits)
    }

    public func svg(idPrefix: String) -> String {
        let range = resolvedRange
        let tickFont = ChartStyle.tickFontSize
        let cellTexts = values.flatMap { $0 }.compactMap(cellText)

        // Cell size: room for the widest cell text and column label, at least 40 × 28.
        let widestCell = cellTexts.map { ChartStyle.textWidth($0, fontSize: tickFont) }.max() ?? 0
        let widestColumn =
            columnLabels.map { ChartStyle.textWidth($0, fontSize: tickFont) }.max() ?? 0
        let cellWidth = max(40, widestCell + 12, widestColumn + 8)
        let cellHeight = 28.0
        let widestRow = rowLabels.map { ChartStyle.textWidth($0, fontSize: tickFont) }.max() ?? 0

        let colorBar = ColorBar.continuous(
            domain: range, ticks: Ticks.linear(in: range, targetCount: 5), label: valueLabel,
            transform: { $0 })
        let hasMissing = values.joined().contains { !$0.isFinite }

        // Layout: title, grid with row labels left and column labels below, colour bar right.
        let left =
            10 + (rowAxisLabel.isEmpty ? 0 : ChartStyle.axisLabelFontSize + 10) + widestRow + 8
        let top = 10 + (title.isEmpty ? 0 : ChartStyle.titleFontSize + 14)
        let gridWidth = cellWidth * Double(columnLabels.count)
        let gridHeight = cellHeight * Double(max(1, rowLabels.count))
        let barHeight = max(gridHeight, 120)
        let missingLegendHeight = hasMissing ? 24.0 : 0
        let width = max(left + gridWidth + colorBar.requiredWidth + 10, 240)
        let bottomOfGrid = top + gridHeight
        let height =
            max(bottomOfGrid + tickFont + 12, top + barHeight + missingLegendHeight)
            + (columnAxisLabel.isEmpty ? 8 : ChartStyle.axisLabelFontSize + 14)

        var svg = SVGBuilder(width: width, height: height, title: title)
        svg.rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff")
        if !title.isEmpty {
            svg.text(
                title, x: 10, y: 10 + ChartStyle.titleFontSize, size: ChartStyle.titleFontSize,
                extra: [("font-weight", "600"), ("fill", ChartStyle.textColor)])
        }

        // Cells with their values.
        svg.open("g", [("font-size", TextFormatting.coordinate(tickFont))])
        for (row, rowValues) in values.enumerated() {
            for (column, value) in rowValues.enumerated() {
                let x = left + cellWidth * Double(column)
                let y = top + cellHeight * Double(row)
                let fraction =
                    value.isFinite
                    ? (value - range.lowerBound) / (range.upperBound - range.lowerBound) : 0
                let fill = value.isFinite ? ColorMap.viridis(fraction) : ChartStyle.missingColor
                svg.rect(
                    x: x, y: y, width: cellWidth, height: cellHeight, fill: fill,
                    extra: [("stroke", "#ffffff"), ("stroke-width", "1")])
                guard let text = cellText(value) else { continue }
                let dark = !value.isFinite || ColorMap.prefersDarkText(fraction)
                svg.element(
                    "text",
                    [
                        ("x", TextFormatting.coordinate(x + cellWidth / 2)),
                        ("y", TextFormatting.coordinate(y + cellHeight / 2 + tickFont * 0.35)),
                        ("text-anchor", "middle"), ("fill", dark ? "#111111" : "#ffffff"),
                    ], text: text)
            }
        }
        svg.close("g")

        // Row labels, column labels and axis labels.
        svg.open("g", [("fill", ChartStyle.textColor)])
        for (row, label) in rowLabels.enumerated() {
            svg.text(
                label, x: left - 6, y: top + cellHeight * (Double(row) + 0.5) + tickFont * 0.35,
                anchor: .end)
        }
        for (column, label) in columnLabels.enumerated() {
            svg.text(
                label, x: left + cellWidth * (Double(column) + 0.5), y: bottomOfGrid + tickFont + 4,
                anchor: .middle)
        }
        if !columnAxisLabel.isEmpty {
            svg.text(
                columnAxisLabel, x: left + gridWidth / 2, y: bottomOfGrid + tickFont + 8 + 14,
                anchor: .middle, size: ChartStyle.axisLabelFontSize)
        }
        if !rowAxisLabel.isEmpty {
            let x = 10 + ChartStyle.axisLabelFontSize
            let y = top + gridHeight / 2
            svg.text(
                rowAxisLabel, x: x, y: y, anchor: .middle, size: ChartStyle.axisLabelFontSize,
                extra: [("transform", "rotate(-90 \(coordinates(x, y)))")])
        }
        svg.close("g")

        // Colour bar, and a swatch for missing values under it.
        let barX = left + gridWidth + ColorBar.gap
        colorBar.draw(x: barX, top: top, bottom: top + barHeight, idPrefix: idPrefix, svg: &svg)
        if hasMissing {
            let y = top + barHeight + 8
            svg.rect(
                x: barX, y: y, width: ColorBar.barWidth, height: 12, fill: ChartStyle.missingColor,
                extra: [("stroke", ChartStyle.axisColor), ("stroke-width", "1")])
            svg.text(
                "NaN", x: barX + ColorBar.barWidth + 7, y: y + 10,
                extra: [("fill", ChartStyle.textColor)])
        }
        return svg.finished()
    }
}
