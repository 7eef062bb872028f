import Foundation

/// A vertical colour bar: the legend of a colour scale, with ticks on its right.
///
/// Continuous bars are drawn with a linear gradient through the viridis anchors (its `id`
/// carries the chart's prefix); banded bars as one rectangle per band between its levels.
struct ColorBar {
    /// Band boundaries from bottom to top and each band's colour (`colors.count ==
    /// boundaries.count − 1`), in the scale's transformed space.
    var boundaries: [Double]
    var colors: [String]
    var ticks: TickSet
    var label: String
    /// Maps a data value (tick value) to the transformed space of `boundaries`.
    var transform: (Double) -> Double?
    /// Whether `colors` is the continuous viridis map rather than discrete bands.
    var isContinuous = false

    static let barWidth = 14.0
    static let gap = 16.0

    /// The continuous viridis bar over `domain` (transformed space).
    static func continuous(
        domain: ClosedRange<Double>, ticks: TickSet, label: String,
        transform: @escaping (Double) -> Double?
    ) -> ColorBar {
        ColorBar(
            boundaries: [domain.lowerBound, domain.upperBound], colors: [], ticks: ticks,
            label: label, transform: transform, isContinuous: true)
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
    func draw(x: Double, top: Double, bottom: Double, idPrefix: String, svg: inout SVGBuilder) {
        guard let low = boundaries.first, let high = boundaries.last, high > low else { return }
        func pixel(_ value: Double) -> Double {
            bottom - (value - low) / (high - low) * (bottom - top)
        }
        if isContinuous {
            let id = idPrefix + "-color-scale"
            svg.open("defs", [])
            svg.open(
                "linearGradient", [("id", id), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0")])
            let anchors = ColorMap.viridisAnchors
            for (index, anchor) in anchors.enumerated() {
                let offset = Double(index) / Double(anchors.count - 1)
                svg.element(
                    "stop",
                    [
                        ("offset", TextFormatting.fixed(offset, decimals: 2)),
                        ("stop-color", ColorMap.hex(anchor)),
                    ])
            }
            svg.close("linearGradient")
            svg.close("defs")
            svg.rect(
                x: x, y: top, width: Self.barWidth, height: bottom - top, fill: "url(#\(id))")
        }
        svg.open("g", [("stroke", "none")])
        for index in colors.indices {
            let y1 = pixel(boundaries[index + 1])
            let y0 = pixel(boundaries[index])
            // Overlap neighbours by half a pixel so no hairline shows between them.
            svg.rect(
                x: x, y: y1 - 0.25, width: Self.barWidth, height: y0 - y1 + 0.5, fill: colors[index]
            )
        }
        svg.close("g")
        svg.rect(
            x: x, y: top, width: Self.barWidth, height: bottom - top, fill: "none",
            extra: [("stroke", ChartStyle.axisColor), ("stroke-width", "1")])

        let mapping = AxisMapping(
            scale: .linear, domain: low...high, pixelStart: bottom, pixelEnd: top)
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
