import Foundation

/// Anything that draws itself as a standalone SVG document.
public protocol SVGChart: Sendable {
    /// The chart's title (also the SVG `<title>`).
    var title: String { get }

    /// The SVG document. `idPrefix` prefixes every `id` in it, so that several charts can
    /// be inlined in one HTML page; the output is byte-for-byte determined by the chart's
    /// data and `idPrefix`.
    func svg(idPrefix: String) -> String
}

extension SVGChart {
    /// The SVG document with the id prefix `chart`.
    public func svg() -> String { svg(idPrefix: "chart") }
}

/// A line chart: series, shaded bands, histogram bars and reference lines over linear or
/// logarithmic axes, with an optional second y-axis on the right.
///
/// Built by chaining:
/// ```swift
/// let svg = LineChart(title: "LR range test", xAxis: .log(label: "learning rate"),
///                     yAxis: .linear(label: "loss"))
///     .adding(Series("smoothed loss", x: rates, y: losses))
///     .adding(ReferenceLine.vertical(at: 0.08, label: "steepest"))
///     .svg()
/// ```
/// Marks are drawn in this order: bands, bars, reference lines, series, markers. Series
/// without a colour take the Okabe–Ito colours in the order they are added.
public struct LineChart: SVGChart, Equatable {
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    /// A right-hand axis for series with `axis: .secondary` (a learning rate behind a loss).
    public var secondaryYAxis: Axis?
    /// Canvas size in pixels (the SVG scales down to fit narrower pages).
    public var width: Double
    public var height: Double
    /// Whether to show the legend (shown only when some mark has a name).
    public var showsLegend: Bool
    public private(set) var series: [Series] = []
    public private(set) var bands: [Band] = []
    public private(set) var bars: [Bars] = []
    public private(set) var referenceLines: [ReferenceLine] = []
    /// Size of the title text; panels of small multiples use a smaller one.
    var titleFontSize = ChartStyle.titleFontSize

    public init(
        title: String = "", xAxis: Axis = .linear(), yAxis: Axis = .linear(),
        secondaryYAxis: Axis? = nil, width: Double = 640, height: Double = 400,
        showsLegend: Bool = true
    ) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.secondaryYAxis = secondaryYAxis
        self.width = width
        self.height = height
        self.showsLegend = showsLegend
    }

    /// The chart with `series` added.
    /// - Precondition: a secondary series needs `secondaryYAxis`.
    public func adding(_ series: Series) -> LineChart {
        precondition(
            series.axis == .primary || secondaryYAxis != nil,
            "series \(series.name) is on the secondary axis but the chart has none")
        var copy = self
        copy.series.append(series)
        return copy
    }

    /// The chart with a series of `y` against `x` added (see `Series.init`).
    public func adding(
        series name: String, x: [Double], y: [Double], color: String? = nil,
        lineStyle: LineStyle = .solid, marker: Marker = .none, axis: VerticalAxis = .primary
    ) -> LineChart {
        adding(
            Series(name, x: x, y: y, color: color, lineStyle: lineStyle, marker: marker, axis: axis)
        )
    }

    /// The chart with a shaded band added.
    public func adding(_ band: Band) -> LineChart {
        precondition(
            band.axis == .primary || secondaryYAxis != nil,
            "band \(band.name) is on the secondary axis but the chart has none")
        var copy = self
        copy.bands.append(band)
        return copy
    }

    /// The chart with histogram bars added.
    public func adding(_ bars: Bars) -> LineChart {
        precondition(
            bars.axis == .primary || secondaryYAxis != nil,
            "bars \(bars.name) are on the secondary axis but the chart has none")
        var copy = self
        copy.bars.append(bars)
        return copy
    }

    /// The chart with a reference line added.
    public func adding(_ line: ReferenceLine) -> LineChart {
        if case .horizontal(_, let axis) = line.orientation {
            precondition(
                axis == .primary || secondaryYAxis != nil,
                "reference line \(line.label) is on the secondary axis but the chart has none")
        }
        var copy = self
        copy.referenceLines.append(line)
        return copy
    }

    /// The chart with several reference lines added.
    public func adding(_ lines: [ReferenceLine]) -> LineChart {
        lines.reduce(self) { $0.adding($1) }
    }

    // MARK: - Resolved colours and ranges

    /// The colour each series is drawn in.
    var seriesColors: [String] {
        series.enumerated().map { index, series in
            series.color ?? ChartStyle.seriesColor(index)
        }
    }

    func bandColor(_ index: Int) -> String {
        let band = bands[index]
        if let color = band.color { return color }
        if let match = series.firstIndex(where: { $0.name == band.name }) {
            return seriesColors[match]
        }
        return ChartStyle.seriesColor(series.count + index)
    }

    func barsColor(_ index: Int) -> String {
        bars[index].color ?? ChartStyle.seriesColor(series.count + bands.count + index)
    }

    /// Every x value the chart shows, for fitting the x-axis.
    var xValues: [Double] {
        var values = series.flatMap(\.x) + bands.flatMap(\.x) + bars.flatMap(\.edges)
        for line in referenceLines {
            if case .vertical(let x) = line.orientation { values.append(x) }
        }
        return values
    }

    /// Every y value measured against `axis`, for fitting that axis. Bars on a linear
    /// axis include zero, their base.
    func yValues(_ axis: VerticalAxis) -> [Double] {
        var values = series.filter { $0.axis == axis }.flatMap(\.y)
        for band in bands where band.axis == axis { values += band.lower + band.upper }
        let scale = axis == .primary ? yAxis.scale : secondaryYAxis?.scale
        for bar in bars where bar.axis == axis {
            values += bar.heights
            if scale == .linear { values.append(0) }
        }
        for line in referenceLines {
            if case .horizontal(let y, let lineAxis) = line.orientation, lineAxis == axis {
                values.append(y)
            }
        }
        return values
    }

    /// The domain shown on an axis: its fixed range, or one fitted to `values`.
    static func domain(for axis: Axis, values: [Double]) -> ClosedRange<Double> {
        if let range = axis.range, range.lowerBound < range.upperBound { return range }
        return Ticks.domain(fitting: values, scale: axis.scale)
    }
}
