import Foundation

/// What a legend entry shows beside its name.
struct LegendEntry: Equatable {
    enum Swatch: Equatable {
        case line(color: String, style: LineStyle, marker: Marker)
        case area(color: String, opacity: Double)
    }

    var name: String
    var swatch: Swatch

    static let swatchWidth = 24.0

    /// Width of swatch, gap and text in pixels.
    var width: Double {
        Self.swatchWidth + 6 + ChartStyle.textWidth(name, fontSize: ChartStyle.tickFontSize)
    }
}

extension PlotFrame {
    /// The finished SVG: frame, grid, then `content` drawn clipped to the plot area, then
    /// axes, ticks and labels on top. `idPrefix` makes the clip path's id unique when
    /// several charts are inlined in one HTML page.
    func render(idPrefix: String, content: (inout SVGBuilder) -> Void) -> String {
        var svg = SVGBuilder(width: width, height: height, title: title)
        svg.rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff")
        drawTitleAndLegend(&svg)
        drawGrid(&svg)

        let clipID = idPrefix + "-plot-area"
        svg.open("defs", [])
        svg.open("clipPath", [("id", clipID)])
        svg.rect(
            x: plotArea.left, y: plotArea.top, width: plotArea.width, height: plotArea.height,
            fill: "#ffffff")
        svg.close("clipPath")
        svg.close("defs")
        svg.open("g", [("clip-path", "url(#\(clipID))")])
        content(&svg)
        svg.close("g")

        drawAxes(&svg)
        return svg.finished()
    }

    private func drawTitleAndLegend(_ svg: inout SVGBuilder) {
        var y = 10.0
        if !title.isEmpty {
            y += titleFontSize
            svg.text(
                title, x: 10, y: y, size: titleFontSize,
                extra: [("font-weight", "600"), ("fill", ChartStyle.textColor)])
            y += 10
        }
        for row in legendRows {
            let middle = y + Self.legendRowHeight / 2
            for (entry, x) in row {
                Self.drawSwatch(entry.swatch, x: x, middle: middle, svg: &svg)
                svg.text(
                    entry.name, x: x + LegendEntry.swatchWidth + 6, y: middle + 4,
                    extra: [("fill", ChartStyle.textColor)])
            }
            y += Self.legendRowHeight
        }
    }

    static func drawSwatch(
        _ swatch: LegendEntry.Swatch, x: Double, middle: Double, svg: inout SVGBuilder
    ) {
        switch swatch {
        case .line(let color, let style, let marker):
            if style != .markersOnly {
                svg.line(
                    x1: x, y1: middle, x2: x + LegendEntry.swatchWidth, y2: middle,
                    stroke: color, width: 2, extra: [("stroke-dasharray", style.dashArray)])
            }
            marker.draw(
                at: (x + LegendEntry.swatchWidth / 2, middle), color: color, svg: &svg)
        case .area(let color, let opacity):
            svg.rect(
                x: x, y: middle - 6, width: LegendEntry.swatchWidth, height: 12, fill: color,
                extra: [("fill-opacity", TextFormatting.fixed(opacity, decimals: 2))])
        }
    }

    private func drawGrid(_ svg: inout SVGBuilder) {
        svg.open("g", [("stroke-width", "1"), ("fill", "none")])
        for value in xTicks.minor where xAxis.scale == .logarithmic {
            guard xMapping.contains(value), let x = xMapping.pixel(value) else { continue }
            svg.line(
                x1: x, y1: plotArea.top, x2: x, y2: plotArea.bottom, stroke: "#f1f1f1")
        }
        for value in yTicks.minor where yAxis.scale == .logarithmic {
            guard yMapping.contains(value), let y = yMapping.pixel(value) else { continue }
            svg.line(
                x1: plotArea.left, y1: y, x2: plotArea.right, y2: y, stroke: "#f1f1f1")
        }
        for tick in xTicks.major {
            guard let x = xMapping.pixel(tick.value) else { continue }
            svg.line(
                x1: x, y1: plotArea.top, x2: x, y2: plotArea.bottom, stroke: ChartStyle.gridColor)
        }
        for tick in yTicks.major {
            guard let y = yMapping.pixel(tick.value) else { continue }
            svg.line(
                x1: plotArea.left, y1: y, x2: plotArea.right, y2: y, stroke: ChartStyle.gridColor)
        }
        svg.close("g")
    }

    private func drawAxes(_ svg: inout SVGBuilder) {
        svg.rect(
            x: plotArea.left, y: plotArea.top, width: plotArea.width, height: plotArea.height,
            fill: "none", extra: [("stroke", ChartStyle.axisColor), ("stroke-width", "1")])
        let tickFont = ChartStyle.tickFontSize
        let labelFont = ChartStyle.axisLabelFontSize

        // Bottom axis: marks below the frame, labels centred under them.
        svg.open("g", [("fill", ChartStyle.textColor)])
        for value in xTicks.minor where xMapping.contains(value) {
            guard let x = xMapping.pixel(value) else { continue }
            svg.line(
                x1: x, y1: plotArea.bottom, x2: x, y2: plotArea.bottom + 3,
                stroke: ChartStyle.axisColor)
        }
        for tick in xTicks.major {
            guard let x = xMapping.pixel(tick.value) else { continue }
            svg.line(
                x1: x, y1: plotArea.bottom, x2: x, y2: plotArea.bottom + Self.tickLength,
                stroke: ChartStyle.axisColor)
            if !tick.label.isEmpty {
                svg.text(
                    tick.label, x: x, y: plotArea.bottom + Self.tickLength + tickFont + 2,
                    anchor: .middle)
            }
        }
        if !xAxis.label.isEmpty {
            svg.text(
                xAxis.label, x: (plotArea.left + plotArea.right) / 2, y: height - 10,
                anchor: .middle, size: labelFont)
        }

        // Left axis.
        drawVerticalTicks(yTicks, mapping: yMapping, atX: plotArea.left, direction: -1, &svg)
        if !yAxis.label.isEmpty {
            let x = 8 + labelFont
            let y = (plotArea.top + plotArea.bottom) / 2
            svg.text(
                yAxis.label, x: x, y: y, anchor: .middle, size: labelFont,
                extra: [("transform", "rotate(-90 \(coordinates(x, y)))")])
        }
        svg.close("g")

        // Right (secondary) axis, in the colour of its series when it has one.
        if let secondaryAxis, let secondaryMapping {
            svg.open("g", [("fill", secondaryLabelColor ?? ChartStyle.textColor)])
            drawVerticalTicks(
                secondaryTicks, mapping: secondaryMapping, atX: plotArea.right, direction: 1,
                &svg)
            if !secondaryAxis.label.isEmpty {
                let x = width - 8 - labelFont
                let y = (plotArea.top + plotArea.bottom) / 2
                svg.text(
                    secondaryAxis.label, x: x, y: y, anchor: .middle, size: labelFont,
                    extra: [("transform", "rotate(90 \(coordinates(x, y)))")])
            }
            svg.close("g")
        }
    }

    /// Tick marks and labels of a vertical axis at `atX`; `direction` −1 puts them to
    /// the left, +1 to the right.
    private func drawVerticalTicks(
        _ ticks: TickSet, mapping: AxisMapping, atX x: Double, direction: Double,
        _ svg: inout SVGBuilder
    ) {
        for value in ticks.minor where mapping.contains(value) {
            guard let y = mapping.pixel(value) else { continue }
            svg.line(x1: x, y1: y, x2: x + 3 * direction, y2: y, stroke: ChartStyle.axisColor)
        }
        for tick in ticks.major {
            guard let y = mapping.pixel(tick.value) else { continue }
            svg.line(
                x1: x, y1: y, x2: x + Self.tickLength * direction, y2: y,
                stroke: ChartStyle.axisColor)
            if !tick.label.isEmpty {
                svg.text(
                    tick.label, x: x + (Self.tickLength + 3) * direction,
                    y: y + ChartStyle.tickFontSize * 0.35,
                    anchor: direction < 0 ? .end : .start)
            }
        }
    }
}

/// "x y" with both coordinates formatted, for transforms.
func coordinates(_ x: Double, _ y: Double) -> String {
    TextFormatting.coordinate(x) + " " + TextFormatting.coordinate(y)
}
