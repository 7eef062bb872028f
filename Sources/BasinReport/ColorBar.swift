import Foundation

/// A vertical colour bar: the legend of a colour scale, with ticks on its right.
///
/// Continuous bars are drawn as 64 stacked rectangles (no gradient, hence no `id` to keep
/// unique); banded bars as one rectangle per band between its two levels.
struct ColorBar {
    /// Band boundaries from bottom to top and each band's colour (`colors.count ==
    /// boundaries.count − 1`), in the scale's transformed space.
    var boundaries: [Double]
    var colors: [String]
    var ticks: TickSet
    var label: String
    /// Maps a data value (tick value) to the transformed space of `boundaries`.
    var transform: (Double) -> Double?

    static let barWidth = 14.0
    static let gap = 16.0

    /// The continuous viridis bar over `domain` (transformed space).
    static func continuous(
        domain: ClosedRange<Double>, ticks: TickSet, label: String,
        transform: @escaping (Double) -> Double?
    ) -> ColorBar {
        let steps = 64
        let span = domain.upperBound - domain.lowerBound
        let boundaries = (0...steps).map { domain.lowerBound + span * Double($0) / Double(steps) }
        let colors = (0..<steps).map { ColorMap.viridis((Double($0) + 0.5) / Double(steps)) }
        return ColorBar(
            boundaries: boundaries, colors: colors, ticks: ticks, label: label,
            transform: transform)
    }

    /// Pixels the bar needs right of the plot: gap, bar, tick labels, label.
    var requiredWidth: Double {
        Self.gap + Self.barWidth + 8 + widestLabel + 6
            + (label.isEmpty ? 0 : ChartStyle.axisLabelFontSize + 10)
    }

    private var widestLabel: Double {
        ticks.major.map { ChartStyle.textWidth($0.label, fontSize: ChartStyle.tickFontSize) }
            .max() ?? 0
    }

    /// Draws the bar with its left edge at `x`, spanning `top…bottom`.
    func draw(x: Double, top: Double, bottom: Double, svg: inout SVGBuilder) {
        guard let low = boundaries.first, let high = boundaries.last, high > low else { return }
        func pixel(_ value: Double) -> Double {
            bottom - (value - low) / (high - low) * (bottom - top)
        }
        svg.open("g", [("stroke", "none")])
        for index in colors.indices {
            let y1 = pixel(boundaries[index + 1])
            let y0 = pixel(boundaries[index])
            // Overlap neighbours by half a pixel so no hairline shows between them.
            svg.rect(x: x, y: y1 - 0.25, width: Self.barWidth, height: y0 - y1 + 0.5, fill: colors[index])
        }
        svg.close("g")
        svg.rect(
            x: x, y: top, width: Self.barWidth, height: bottom - top, fill: "none",
            extra: [("stroke", ChartStyle.axisColor), ("stroke-width", "1")])

        let mapping = AxisMapping(scale: .linear, domain: low...high, pixelStart: bottom, pixelEnd: top)
        var positioned = TickSet(major: [])
        for tick in ticks.major {
            guard let value = transform(tick.value), value >= low - 1e-12, value <= high + 1e-12
            else { continue }
            positioned.major.append(Tick(value: value, label: tick.label))
        }
        positioned = PlotFrame.thinned(positioned, mapping: mapping, horizontal: false)
        svg.open("g", [("fill", ChartStyle.textColor)])
        for tick in positioned.major {
            let y = pixel(tick.value)
            svg.line(
                x1: x + Self.barWidth, y1: y, x2: x + Self.barWidth + 4, y2: y,
                stroke: ChartStyle.axisColor)
            if !tick.label.isEmpty {
                svg.text(
                    tick.label, x: x + Self.barWidth + 7, y: y + ChartStyle.tickFontSize * 0.35)
            }
        }
        if !label.isEmpty {
            // Text turned by +90° has its glyphs right of the baseline.
            let labelX = x + Self.barWidth + 8 + widestLabel + 8
            let labelY = (top + bottom) / 2
            svg.text(
                label, x: labelX, y: labelY, anchor: .middle, size: ChartStyle.axisLabelFontSize,
                extra: [("transform", "rotate(90 \(coordinates(labelX, labelY)))")])
        }
        svg.close("g")
    }
}
