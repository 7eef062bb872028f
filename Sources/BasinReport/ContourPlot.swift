import Foundation

/// A filled contour plot of a function sampled on a grid, with labelled points: the loss
/// on a plane through three checkpoints.
///
/// `values[row][column]` is the value at (`x[column]`, `y[row]`). The colour bands lie
/// between levels chosen by the tick algorithm over the finite values (or given), coloured
/// with viridis from low to high; thin white lines trace each level. With
/// `valueScale: .logarithmic` levels and colours follow log₁₀ of the value (a loss that
/// spans decades), and non-positive values count as missing. Missing cells are grey.
public struct ContourPlot: SVGChart, Equatable {
    /// A marked point with a label beside it (in the plot's x and y units).
    public struct LabelledPoint: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var label: String

        public init(x: Double, y: Double, label: String) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    /// A path drawn over the contours (a training trajectory projected on the plane),
    /// black on a white casing so it reads on every colour, with a dot at each point and
    /// its label at the last one. Undrawable points split it.
    public struct Trajectory: Sendable, Equatable {
        public var x: [Double]
        public var y: [Double]
        public var label: String

        /// - Precondition: `x.count == y.count`.
        public init(x: [Double], y: [Double], label: String = "") {
            precondition(
                x.count == y.count, "trajectory \(label): \(x.count) x values, \(y.count) y")
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public var title: String
    public var x: [Double]
    public var y: [Double]
    public var values: [[Double]]
    public var xLabel: String
    public var yLabel: String
    public var valueLabel: String
    public var valueScale: Axis.Scale
    /// Contour levels in data units; nil chooses them from the ticks of the value range.
    public var levels: [Double]?
    public var points: [LabelledPoint]
    public var trajectories: [Trajectory]
    public var width: Double
    public var height: Double

    /// - Precondition: `x` and `y` increase, and `values` has `y.count` rows of `x.count`.
    public init(
        title: String = "", x: [Double], y: [Double], values: [[Double]], xLabel: String = "",
        yLabel: String = "", valueLabel: String = "", valueScale: Axis.Scale = .linear,
        levels: [Double]? = nil, points: [LabelledPoint] = [], trajectories: [Trajectory] = [],
        width: Double = 560, height: Double = 460
    ) {
        precondition(x.count >= 2 && y.count >= 2, "contour grid needs ≥ 2 × 2 points")
        precondition(zip(x, x.dropFirst()).allSatisfy { $0 < $1 }, "contour x must increase")
        precondition(zip(y, y.dropFirst()).allSatisfy { $0 < $1 }, "contour y must increase")
        precondition(
            values.count == y.count && values.allSatisfy { $0.count == x.count },
            "contour values must be \(y.count) rows × \(x.count), "
                + "got rows of \(values.map(\.count))"
        )
        self.title = title
        self.x = x
        self.y = y
        self.values = values
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueLabel = valueLabel
        self.valueScale = valueScale
        self.levels = levels
        self.points = points
        self.trajectories = trajectories
        self.width = width
        self.height = height
    }

    /// A value in the space contours are computed in (log₁₀ on a log scale), nil if missing.
    func transformed(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if valueScale == .logarithmic { return value > 0 ? log10(value) : nil }
        return value
    }

    /// The value range, its ticks, and the contour levels in transformed space.
    func resolvedLevels() -> (domain: ClosedRange<Double>, ticks: TickSet, levels: [Double]) {
        let finite = values.joined().compactMap(transformed)
        let low = finite.min() ?? 0
        let high = max(finite.max() ?? 1, low)
        let span = high > low ? high - low : 1
        let domain = low...(low + span)
        let valueDomain: ClosedRange<Double> =
            valueScale == .logarithmic
            ? pow(10, domain.lowerBound)...pow(10, domain.upperBound) : domain
        let ticks =
            valueScale == .logarithmic
            ? Ticks.logarithmic(in: valueDomain, targetCount: 6)
            : Ticks.linear(in: valueDomain, targetCount: 8)
        var chosen = levels ?? ticks.majorValues
        // A log range of a few decades has few major ticks; the minor ones make better levels.
        if levels == nil && valueScale == .logarithmic && chosen.count < 5 {
            chosen = (ticks.majorValues + ticks.minor).sorted()
        }
        let inside = chosen.compactMap(transformed).filter {
            $0 > domain.lowerBound && $0 < domain.upperBound
        }
        return (domain, ticks, Array(Set(inside)).sorted())
    }

    public func svg(idPrefix: String) -> String {
        let (domain, ticks, levelValues) = resolvedLevels()
        let bandCount = levelValues.count + 1
        let colors = (0..<bandCount).map {
            ColorMap.viridis((Double($0) + 0.5) / Double(bandCount))
        }
        let colorBar = ColorBar(
            boundaries: [domain.lowerBound] + levelValues + [domain.upperBound], colors: colors,
            ticks: ticks, label: valueLabel, transform: transformed)

        let frame = PlotFrame(
            width: width, height: height, title: title, legend: [],
            xAxis: .linear(label: xLabel), xDomain: x.first!...x.last!,
            yAxis: .linear(label: yLabel), yDomain: y.first!...y.last!,
            extraRightMargin: colorBar.requiredWidth)
        let grid = values.map { $0.map { transformed($0) ?? .nan } }

        // Index space → pixels, interpolating between grid coordinates.
        func pixel(_ point: MarchingSquares.Point) -> (x: Double, y: Double) {
            (
                frame.xMapping.pixel(Self.coordinate(point.x, along: x))!,
                frame.yMapping.pixel(Self.coordinate(point.y, along: y))!
            )
        }

        var body = frame.render(idPrefix: idPrefix) { svg in
            let area = frame.plotArea
            svg.rect(
                x: area.left, y: area.top, width: area.width, height: area.height,
                fill: ChartStyle.missingColor)

            // Superlevel sets painted low to high, so bands never leave seams between them.
            let thresholds = [-Double.infinity] + levelValues
            for (band, threshold) in thresholds.enumerated() {
                let polygons = MarchingSquares.superlevelPolygons(values: grid, level: threshold)
                guard !polygons.isEmpty else { continue }
                let data = polygons.map { polygonPathData($0.map(pixel)) }.joined(separator: " ")
                svg.element("path", [("d", data), ("fill", colors[band])])
            }

            // Contour lines over the fill.
            for level in levelValues {
                let segments = MarchingSquares.segments(values: grid, level: level)
                guard !segments.isEmpty else { continue }
                let data = segments.map { polylinePathData([pixel($0.0), pixel($0.1)]) }
                    .joined(separator: " ")
                svg.element(
                    "path",
                    [
                        ("d", data), ("fill", "none"), ("stroke", "#ffffff"),
                        ("stroke-opacity", "0.6"), ("stroke-width", "0.75"),
                    ])
            }
            drawTrajectories(frame, &svg)
            drawPoints(frame, &svg)
        }

        // The colour bar goes right of the plot, before the closing tag.
        var bar = SVGBuilder.fragment(depth: 1)
        colorBar.draw(
            x: frame.plotArea.right + ColorBar.gap, top: frame.plotArea.top,
            bottom: frame.plotArea.bottom, idPrefix: idPrefix, svg: &bar)
        body = SVGBuilder.insert(bar.lines, beforeClosingTagOf: body)
        return body
    }

    private func drawTrajectories(_ frame: PlotFrame, _ svg: inout SVGBuilder) {
        for trajectory in trajectories {
            let runs = drawableRuns(
                x: trajectory.x, y: trajectory.y, mapX: frame.xMapping.pixel,
                mapY: frame.yMapping.pixel)
            let data = runs.filter { $0.count >= 2 }.map(polylinePathData).joined(separator: " ")
            if !data.isEmpty {
                for (color, width) in [("#ffffff", "3.5"), ("#000000", "1.5")] {
                    svg.element(
                        "path",
                        [
                            ("d", data), ("fill", "none"), ("stroke", color),
                            ("stroke-width", width), ("stroke-linejoin", "round"),
                        ])
                }
            }
            for point in runs.joined() {
                Marker.circle.draw(at: point, color: "#000000", radius: 2, svg: &svg)
            }
            if let last = runs.last?.last, !trajectory.label.isEmpty {
                let width = ChartStyle.textWidth(
                    trajectory.label, fontSize: ChartStyle.tickFontSize)
                let toLeft = last.x + 6 + width > frame.plotArea.right
                svg.text(
                    trajectory.label, x: toLeft ? last.x - 6 : last.x + 6, y: last.y + 16,
                    anchor: toLeft ? .end : .start,
                    extra: [
                        ("fill", "#000000"), ("paint-order", "stroke"), ("stroke", "#ffffff"),
                        ("stroke-width", "3"), ("stroke-linejoin", "round"),
                    ])
            }
        }
    }

    private func drawPoints(_ frame: PlotFrame, _ svg: inout SVGBuilder) {
        let area = frame.plotArea
        for point in points {
            guard let px = frame.xMapping.pixel(point.x), let py = frame.yMapping.pixel(point.y)
            else { continue }
            svg.element(
                "circle",
                [
                    ("cx", TextFormatting.coordinate(px)), ("cy", TextFormatting.coordinate(py)),
                    ("r", "4.5"), ("fill", "#ffffff"), ("stroke", "#000000"),
                    ("stroke-width", "1.5"),
                ])
            let labelWidth = ChartStyle.textWidth(point.label, fontSize: ChartStyle.tickFontSize)
            let toLeft = px + 8 + labelWidth > area.right
            let labelY = py - 8 < area.top + ChartStyle.tickFontSize ? py + 16 : py - 8
            svg.text(
                point.label, x: toLeft ? px - 8 : px + 8, y: labelY,
                anchor: toLeft ? .end : .start,
                extra: [
                    ("font-weight", "600"), ("fill", "#000000"), ("paint-order", "stroke"),
                    ("stroke", "#ffffff"), ("stroke-width", "3"), ("stroke-linejoin", "round"),
                ])
        }
    }

    /// The coordinate at fractional index `index` of the increasing `coordinates`.
    static func coordinate(_ index: Double, along coordinates: [Double]) -> Double {
        let lower = min(max(Int(index.rounded(.down)), 0), coordinates.count - 2)
        let fraction = index - Double(lower)
        return coordinates[lower] + fraction * (coordinates[lower + 1] - coordinates[lower])
    }
}
