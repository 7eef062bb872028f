import Foundation

/// A grid of line charts that share their axes: one panel per seed, per BatchNorm mode,
/// per pair of checkpoints.
///
/// With shared axes every panel shows the same x range and the same primary (and
/// secondary) y range, the union of all panels' data, so panels compare at a glance. The
/// legend is drawn once, above the grid, from the series names of all panels in order of
/// first appearance; axis titles appear on the bottom row and left column only. Each
/// panel's own title is drawn above it.
public struct SmallMultiples: SVGChart, Equatable {
    public var title: String
    public var panels: [LineChart]
    public var columnCount: Int
    public var panelWidth: Double
    public var panelHeight: Double
    public var sharesX: Bool
    public var sharesY: Bool

    /// - Precondition: `columnCount ≥ 1`; panels on shared axes have the same scales.
    public init(
        title: String = "", panels: [LineChart], columnCount: Int = 2, panelWidth: Double = 340,
        panelHeight: Double = 250, sharesX: Bool = true, sharesY: Bool = true
    ) {
        precondition(columnCount >= 1, "columnCount must be ≥ 1, got \(columnCount)")
        if sharesX {
            precondition(
                Set(panels.map(\.xAxis.scale)).count <= 1, "shared x-axes must have one scale")
        }
        if sharesY {
            precondition(
                Set(panels.map(\.yAxis.scale)).count <= 1, "shared y-axes must have one scale")
        }
        self.title = title
        self.panels = panels
        self.columnCount = columnCount
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.sharesX = sharesX
        self.sharesY = sharesY
    }

    /// The panels with shared ranges fixed, legends off and inner axis titles removed.
    func preparedPanels() -> [LineChart] {
        let xRange = panels.first.map { first in
            first.xAxis.range
                ?? Ticks.domain(fitting: panels.flatMap(\.xValues), scale: first.xAxis.scale)
        }
        let yRange = panels.first.map { first in
            first.yAxis.range
                ?? Ticks.domain(
                    fitting: panels.flatMap { $0.yValues(.primary) }, scale: first.yAxis.scale)
        }
        let secondaryPanels = panels.filter { $0.secondaryYAxis != nil }
        let secondaryRange = secondaryPanels.first.map { first in
            first.secondaryYAxis!.range
                ?? Ticks.domain(
                    fitting: secondaryPanels.flatMap { $0.yValues(.secondary) },
                    scale: first.secondaryYAxis!.scale)
        }
        let rowCount = (panels.count + columnCount - 1) / columnCount
        return panels.enumerated().map { index, panel in
            var copy = panel
            copy.width = panelWidth
            copy.height = panelHeight
            copy.showsLegend = false
            copy.titleFontSize = ChartStyle.axisLabelFontSize
            if sharesX { copy.xAxis.range = xRange }
            if sharesY {
                copy.yAxis.range = yRange
                copy.secondaryYAxis?.range = secondaryRange
            }
            if sharesX && index / columnCount < rowCount - 1 && index + columnCount < panels.count {
                copy.xAxis.label = ""
            }
            if sharesY && index % columnCount != 0 { copy.yAxis.label = "" }
            if sharesY && index % columnCount != columnCount - 1 && index != panels.count - 1 {
                copy.secondaryYAxis?.label = ""
            }
            return copy
        }
    }

    /// One legend entry per distinct name, in order of first appearance.
    var legendEntries: [LegendEntry] {
        var seen = Set<String>()
        var entries: [LegendEntry] = []
        for entry in panels.flatMap(\.legendEntries) where seen.insert(entry.name).inserted {
            entries.append(entry)
        }
        return entries
    }

    public func svg(idPrefix: String) -> String {
        let columns = min(columnCount, max(1, panels.count))
        let rows = (panels.count + columns - 1) / columns
        let width = panelWidth * Double(columns) + 20
        let legendRows = PlotFrame.legendLayout(legendEntries, availableWidth: width - 20)
        var top = 10.0
        if !title.isEmpty { top += ChartStyle.titleFontSize + 10 }
        let legendTop = top
        top += Double(legendRows.count) * PlotFrame.legendRowHeight + 6
        let height = top + panelHeight * Double(max(1, rows)) + 10

        var svg = SVGBuilder(width: width, height: height, title: title)
        svg.rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff")
        if !title.isEmpty {
            svg.text(
                title, x: 10, y: 10 + ChartStyle.titleFontSize, size: ChartStyle.titleFontSize,
                extra: [("font-weight", "600"), ("fill", ChartStyle.textColor)])
        }
        for (rowIndex, row) in legendRows.enumerated() {
            let middle = legendTop + (Double(rowIndex) + 0.5) * PlotFrame.legendRowHeight
            for (entry, x) in row {
                PlotFrame.drawSwatch(entry.swatch, x: x, middle: middle, svg: &svg)
                svg.text(
                    entry.name, x: x + LegendEntry.swatchWidth + 6, y: middle + 4,
                    extra: [("fill", ChartStyle.textColor)])
            }
        }

        // Each panel is a nested <svg> placed in the grid.
        var lines = svg.lines
        for (index, panel) in preparedPanels().enumerated() {
            let x = 10 + panelWidth * Double(index % columns)
            let y = top + panelHeight * Double(index / columns)
            let document = panel.svg(idPrefix: "\(idPrefix)-panel\(index + 1)")
            var panelLines = document.split(separator: "\n").map { "  " + $0 }
            panelLines[0] = panelLines[0].replacingOccurrences(
                of: "<svg ",
                with: "<svg x=\"\(TextFormatting.coordinate(x))\" "
                    + "y=\"\(TextFormatting.coordinate(y))\" ")
            lines += panelLines
        }
        return (lines + ["</svg>"]).joined(separator: "\n") + "\n"
    }
}
