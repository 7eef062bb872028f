import Foundation

/// One curve of a line chart: y against x, with its name in the legend.
///
/// NaN, infinite values, and values that are not positive on a log axis are gaps: the line
/// stops before them and starts again after.
public struct Series: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// `#rrggbb`; nil takes the next Okabe–Ito colour.
    public var color: String?
    public var lineStyle: LineStyle
    public var lineWidth: Double
    public var marker: Marker
    public var axis: VerticalAxis

    /// - Precondition: `x.count == y.count`.
    public init(
        _ name: String, x: [Double], y: [Double], color: String? = nil,
        lineStyle: LineStyle = .solid, lineWidth: Double = 1.75, marker: Marker = .none,
        axis: VerticalAxis = .primary
    ) {
        precondition(
            x.count == y.count, "series \(name): x has \(x.count) values, y has \(y.count)")
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.lineStyle = lineStyle
        self.lineWidth = lineWidth
        self.marker = marker
        self.axis = axis
    }

    /// The marker drawn: a series without a line needs one, and gets circles by default.
    var effectiveMarker: Marker {
        lineStyle == .markersOnly && marker == .none ? .circle : marker
    }
}

/// A shaded band between `lower` and `upper` over `x`: a range over seeds, or a
/// confidence interval. Points where any of the three is undrawable split the band.
public struct Band: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    /// nil takes the colour of the series with the same name, else the next palette colour.
    public var color: String?
    public var opacity: Double
    public var axis: VerticalAxis

    /// - Precondition: the three arrays have the same count; `0 ≤ opacity ≤ 1`.
    public init(
        _ name: String, x: [Double], lower: [Double], upper: [Double], color: String? = nil,
        opacity: Double = 0.2, axis: VerticalAxis = .primary
    ) {
        precondition(
            x.count == lower.count && x.count == upper.count,
            "band \(name): x, lower, upper have \(x.count), \(lower.count), \(upper.count) values")
        precondition((0...1).contains(opacity), "opacity must be in 0...1, got \(opacity)")
        self.name = name
        self.x = x
        self.lower = lower
        self.upper = upper
        self.color = color
        self.opacity = opacity
        self.axis = axis
    }
}

/// Bars over bins: bin i spans `edges[i]…edges[i + 1]` with height `heights[i]` (a
/// histogram). Bars of zero height, or undrawable height (zero on a log axis), are skipped.
public struct Bars: Sendable, Equatable {
    public var name: String
    public var edges: [Double]
    public var heights: [Double]
    public var color: String?
    public var opacity: Double
    public var axis: VerticalAxis

    /// - Precondition: `edges.count == heights.count + 1` and the edges increase.
    public init(
        _ name: String, edges: [Double], heights: [Double], color: String? = nil,
        opacity: Double = 0.55, axis: VerticalAxis = .primary
    ) {
        precondition(
            edges.count == heights.count + 1,
            "bars \(name): \(edges.count) edges for \(heights.count) heights")
        precondition(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "edges must increase")
        self.name = name
        self.edges = edges
        self.heights = heights
        self.color = color
        self.opacity = opacity
        self.axis = axis
    }

    /// A histogram of the finite `values` in `binCount` equal bins over `range` (the
    /// finite values' extent by default; values outside the range are not counted, the
    /// upper edge is inclusive). With `density` the heights are count ÷ (n × bin width),
    /// so the bars integrate to one over the counted values, n being their number.
    /// - Precondition: `binCount ≥ 1`.
    public static func histogram(
        _ name: String, of values: [Double], binCount: Int,
        range: ClosedRange<Double>? = nil, density: Bool = false, color: String? = nil
    ) -> Bars {
        precondition(binCount >= 1, "binCount must be ≥ 1, got \(binCount)")
        let finite = values.filter(\.isFinite)
        var low = range?.lowerBound ?? finite.min() ?? 0
        var high = range?.upperBound ?? finite.max() ?? 1
        if low == high {
            low -= 0.5
            high += 0.5
        }
        let width = (high - low) / Double(binCount)
        let edges = (0...binCount).map { low + Double($0) * width }
        var counts = [Double](repeating: 0, count: binCount)
        for value in finite where value >= low && value <= high {
            counts[min(binCount - 1, Int((value - low) / width))] += 1
        }
        let total = counts.reduce(0, +)
        let heights = density && total > 0 ? counts.map { $0 / (total * width) } : counts
        return Bars(name, edges: edges, heights: heights, color: color)
    }
}

/// A labelled straight line across the plot: a cycle end, α = 0 and 1, 2/η.
public struct ReferenceLine: Sendable, Equatable {
    public enum Orientation: Sendable, Equatable {
        case vertical(x: Double)
        case horizontal(y: Double, axis: VerticalAxis)
    }

    public var orientation: Orientation
    public var label: String
    public var color: String
    public var lineStyle: LineStyle

    public init(
        _ orientation: Orientation, label: String = "", color: String = ChartStyle.referenceGray,
        lineStyle: LineStyle = .dashed
    ) {
        self.orientation = orientation
        self.label = label
        self.color = color
        self.lineStyle = lineStyle
    }

    /// A vertical line at `x`.
    public static func vertical(
        at x: Double, label: String = "", color: String = ChartStyle.referenceGray,
        lineStyle: LineStyle = .dashed
    ) -> ReferenceLine {
        ReferenceLine(.vertical(x: x), label: label, color: color, lineStyle: lineStyle)
    }

    /// A horizontal line at `y` on the given vertical axis.
    public static func horizontal(
        at y: Double, label: String = "", axis: VerticalAxis = .primary,
        color: String = ChartStyle.referenceGray, lineStyle: LineStyle = .dashed
    ) -> ReferenceLine {
        ReferenceLine(
            .horizontal(y: y, axis: axis), label: label, color: color, lineStyle: lineStyle)
    }
}
