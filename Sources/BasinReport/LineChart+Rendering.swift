import Foundation

extension LineChart {
    /// The chart as a standalone SVG document (see `SVGChart.svg(idPrefix:)`).
    public func svg(idPrefix: String) -> String {
        let frame = makeFrame()
        return frame.render(idPrefix: idPrefix) { svg in
            drawBands(frame, &svg)
            drawBars(frame, &svg)
            drawReferenceLines(frame, &svg)
            drawSeries(frame, &svg)
            drawReferenceLabels(frame, &svg)
        }
    }

    func makeFrame() -> PlotFrame {
        let secondaryColors = Set(
            series.indices.filter { series[$0].axis == .secondary }.map { seriesColors[$0] })
        return PlotFrame(
            width: width, height: height, title: title, legend: showsLegend ? legendEntries : [],
            xAxis: xAxis, xDomain: Self.domain(for: xAxis, values: xValues),
            yAxis: yAxis, yDomain: Self.domain(for: yAxis, values: yValues(.primary)),
            secondaryAxis: secondaryYAxis,
            secondaryDomain: secondaryYAxis.map {
                Self.domain(for: $0, values: yValues(.secondary))
            },
            secondaryLabelColor: secondaryColors.count == 1 ? secondaryColors.first : nil,
            titleFontSize: titleFontSize)
    }

    /// Named series, then bands without a same-named series, then bars.
    var legendEntries: [LegendEntry] {
        var entries: [LegendEntry] = []
        for (index, series) in series.enumerated() where !series.name.isEmpty {
            let name = series.axis == .secondary ? series.name + " (right axis)" : series.name
            entries.append(
                LegendEntry(
                    name: name,
                    swatch: .line(
                        color: seriesColors[index], style: series.lineStyle,
                        marker: series.effectiveMarker)))
        }
        let seriesNames = Set(series.map(\.name))
        for (index, band) in bands.enumerated()
        where !band.name.isEmpty && !seriesNames.contains(band.name) {
            entries.append(
                LegendEntry(
                    name: band.name, swatch: .area(color: bandColor(index), opacity: band.opacity)))
        }
        for (index, bar) in bars.enumerated() where !bar.name.isEmpty {
            entries.append(
                LegendEntry(
                    name: bar.name, swatch: .area(color: barsColor(index), opacity: bar.opacity)))
        }
        return entries
    }

    private func verticalMapping(_ frame: PlotFrame, _ axis: VerticalAxis) -> AxisMapping {
        axis == .primary ? frame.yMapping : frame.secondaryMapping!
    }

    private func drawBands(_ frame: PlotFrame, _ svg: inout SVGBuilder) {
        for (index, band) in bands.enumerated() {
            let yMapping = verticalMapping(frame, band.axis)

            // A band point is drawable when x, lower and upper all are; runs split at others.
            var runs: [[(x: Double, low: Double, high: Double)]] = [[]]
            for point in band.x.indices {
                if let x = frame.xMapping.pixel(band.x[point]),
                    let low = yMapping.pixel(band.lower[point]),
                    let high = yMapping.pixel(band.upper[point])
                {
                    runs[runs.count - 1].append((x, low, high))
                } else if !(runs.last?.isEmpty ?? true) {
                    runs.append([])
                }
            }
            let data = runs.filter { $0.count >= 2 }.map { run in
                polygonPathData(run.map { ($0.x, $0.high) } + run.reversed().map { ($0.x, $0.low) })
            }
            guard !data.isEmpty else { continue }
            svg.element(
                "path",
                [
                    ("d", data.joined(separator: " ")), ("fill", bandColor(index)),
                    ("fill-opacity", TextFormatting.fixed(band.opacity, decimals: 2)),
                    ("stroke", "none"),
                ])
        }
    }

    private func drawBars(_ frame: PlotFrame, _ svg: inout SVGBuilder) {
        for (index, bar) in bars.enumerated() {
            let yMapping = verticalMapping(frame, bar.axis)
            let base =
                yMapping.scale == .linear
                ? (yMapping.pixel(0) ?? yMapping.pixelStart) : yMapping.pixelStart
            svg.open(
                "g",
                [
                    ("fill", barsColor(index)),
                    ("fill-opacity", TextFormatting.fixed(bar.opacity, decimals: 2)),
                    ("stroke", "#ffffff"), ("stroke-width", "0.5"),
                ])
            for bin in bar.heights.indices where bar.heights[bin] != 0 {
                guard let left = frame.xMapping.pixel(bar.edges[bin]),
                    let right = frame.xMapping.pixel(bar.edges[bin + 1]),
                    let top = yMapping.pixel(bar.heights[bin])
                else { continue }
                svg.element(
                    "rect",
                    [
                        ("x", TextFormatting.coordinate(min(left, right))),
                        ("y", TextFormatting.coordinate(min(top, base))),
                        ("width", TextFormatting.coordinate(abs(right - left))),
                        ("height", TextFormatting.coordinate(abs(base - top))),
                    ])
            }
            svg.close("g")
        }
    }

    private func drawSeries(_ frame: PlotFrame, _ svg: inout SVGBuilder) {
        for (index, series) in series.enumerated() {
            let yMapping = verticalMapping(frame, series.axis)
            let color = seriesColors[index]
            let runs = drawableRuns(
                x: series.x, y: series.y, mapX: frame.xMapping.pixel, mapY: yMapping.pixel)
            let lines = runs.filter { $0.count >= 2 }.map {
                decimated($0, columnCount: frame.plotArea.width)
            }
            if !lines.isEmpty && series.lineStyle != .markersOnly {
                svg.element(
                    "path",
                    [
                        ("d", lines.map(polylinePathData).joined(separator: " ")),
                        ("fill", "none"), ("stroke", color),
                        ("stroke-width", TextFormatting.coordinate(series.lineWidth)),
                        ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
                        ("stroke-dasharray", series.lineStyle.dashArray),
                    ])
            }
            // A point with undrawable neighbours on both sides would vanish without a dot.
            let marker = series.effectiveMarker
            if marker == .none {
                for run in runs where run.count == 1 {
                    Marker.circle.draw(at: run[0], color: color, svg: &svg)
                }
            } else {
                for point in runs.joined() {
                    marker.draw(at: point, color: color, svg: &svg)
                }
            }
        }
    }

    private func drawReferenceLines(_ frame: PlotFrame, _ svg: inout SVGBuilder) {
        let area = frame.plotArea
        for line in referenceLines {
            switch line.orientation {
            case .vertical(let x):
                guard let px = frame.xMapping.pixel(x) else { continue }
                svg.line(
                    x1: px, y1: area.top, x2: px, y2: area.bottom, stroke: line.color,
                    width: 1.25, extra: [("stroke-dasharray", line.lineStyle.dashArray)])
            case .horizontal(let y, let axis):
                guard let py = verticalMapping(frame, axis).pixel(y) else { continue }
                svg.line(
                    x1: area.left, y1: py, x2: area.right, y2: py, stroke: line.color,
                    width: 1.25, extra: [("stroke-dasharray", line.lineStyle.dashArray)])
            }
        }
    }

    /// Labels of reference lines, over the data with a white halo. A label that would
    /// touch the previous one along the same direction is left out.
    private func drawReferenceLabels(_ frame: PlotFrame, _ svg: inout SVGBuilder) {
        let area = frame.plotArea
        let size = ChartStyle.annotationFontSize
        let halo: SVGBuilder.Attributes = [
            ("paint-order", "stroke"), ("stroke", "#ffffff"), ("stroke-width", "3"),
            ("stroke-linejoin", "round"),
        ]
        var vertical: [(position: Double, line: ReferenceLine)] = []
        var horizontal: [(position: Double, line: ReferenceLine)] = []
        for line in referenceLines where !line.label.isEmpty {
            switch line.orientation {
            case .vertical(let x):
                if let px = frame.xMapping.pixel(x), px >= area.left, px <= area.right {
                    vertical.append((px, line))
                }
            case .horizontal(let y, let axis):
                if let py = verticalMapping(frame, axis).pixel(y), py >= area.top,
                    py <= area.bottom
                {
                    horizontal.append((py, line))
                }
            }
        }

        var lastX = -Double.infinity
        for (px, line) in vertical.sorted(by: { $0.position < $1.position }) {
            guard px - lastX >= size + 3 else { continue }
            lastX = px
            // Rotated text reads upwards; its glyphs lie left of the baseline.
            let nearRight = px + size + 6 > area.right
            let baseline = nearRight ? px - 4 : px + 3 + size * 0.85
            let y = area.top + 4
            svg.text(
                line.label, x: baseline, y: y, anchor: .end, size: size,
                extra: [
                    ("fill", line.color), ("transform", "rotate(-90 \(coordinates(baseline, y)))"),
                ] + halo)
        }

        var lastY = Double.infinity
        for (py, line) in horizontal.sorted(by: { $0.position > $1.position }) {
            guard lastY - py >= size + 3 else { continue }
            lastY = py
            let y = py - 4 < area.top + size ? py + size + 2 : py - 4
            svg.text(
                line.label, x: area.right - 4, y: y, anchor: .end, size: size,
                extra: [("fill", line.color)] + halo)
        }
    }
}
