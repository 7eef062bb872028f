import Foundation

/// How a line is stroked. Dashes let series differ by more than colour (in print, and
/// for readers who cannot tell the colours apart).
public enum LineStyle: Sendable, Equatable {
    case solid
    case dashed
    case dotted
    /// No line at all: the series shows its markers only (a scatter plot).
    case markersOnly

    /// The SVG `stroke-dasharray`, or nil for a solid line.
    var dashArray: String? {
        switch self {
        case .solid, .markersOnly: return nil
        case .dashed: return "6 4"
        case .dotted: return "1.5 3"
        }
    }
}

/// A symbol drawn at each data point of a series.
public enum Marker: Sendable, Equatable, CaseIterable {
    case none
    case circle
    case square
    case triangle
    case diamond

    /// Draws the marker centred at `center`, about 2 × `radius` pixels across.
    func draw(
        at center: (x: Double, y: Double), color: String, radius: Double = 3.5,
        svg: inout SVGBuilder
    ) {
        switch self {
        case .none:
            return
        case .circle:
            svg.element(
                "circle",
                [
                    ("cx", TextFormatting.coordinate(center.x)),
                    ("cy", TextFormatting.coordinate(center.y)),
                    ("r", TextFormatting.coordinate(radius)), ("fill", color),
                ])
        case .square:
            svg.rect(
                x: center.x - radius * 0.9, y: center.y - radius * 0.9, width: radius * 1.8,
                height: radius * 1.8, fill: color)
        case .triangle:
            let points = [
                (center.x, center.y - radius * 1.1), (center.x + radius, center.y + radius * 0.8),
                (center.x - radius, center.y + radius * 0.8),
            ]
            svg.element("path", [("d", polygonPathData(points)), ("fill", color)])
        case .diamond:
            let points = [
                (center.x, center.y - radius * 1.2), (center.x + radius, center.y),
                (center.x, center.y + radius * 1.2), (center.x - radius, center.y),
            ]
            svg.element("path", [("d", polygonPathData(points)), ("fill", color)])
        }
    }
}

/// Which vertical axis a mark is measured against.
public enum VerticalAxis: Sendable, Equatable {
    /// The left axis.
    case primary
    /// The right axis (`LineChart.secondaryYAxis`).
    case secondary
}

/// Splits a polyline into the runs of consecutive points that can be drawn.
///
/// A point is drawable when `mapX` and `mapY` both return a position for it (finite, and
/// positive on a log axis). Each undrawable point ends the current run, so a NaN in the
/// middle of a curve leaves a visible gap instead of a line jumping across it.
/// - Precondition: `x.count == y.count`.
func drawableRuns(
    x: [Double], y: [Double], mapX: (Double) -> Double?, mapY: (Double) -> Double?
) -> [[(x: Double, y: Double)]] {
    precondition(x.count == y.count, "x has \(x.count) values, y has \(y.count)")
    var runs: [[(x: Double, y: Double)]] = []
    var current: [(x: Double, y: Double)] = []
    for index in x.indices {
        if let px = mapX(x[index]), let py = mapY(y[index]) {
            current.append((px, py))
        } else if !current.isEmpty {
            runs.append(current)
            current = []
        }
    }
    if !current.isEmpty { runs.append(current) }
    return runs
}

/// `run` thinned for drawing when it has far more points than pixels: within each stretch
/// of consecutive points that fall in the same pixel column, only the first, the lowest,
/// the highest and the last are kept, in their original order. The drawn line covers the
/// same pixels, so spikes survive, while a 100 000-step loss curve stays a small file.
/// Runs of at most `4 × columnCount` points are returned unchanged.
func decimated(_ run: [(x: Double, y: Double)], columnCount: Double) -> [(x: Double, y: Double)] {
    guard Double(run.count) > 4 * max(columnCount, 1) else { return run }
    var result: [(x: Double, y: Double)] = []
    var start = 0
    while start < run.count {
        let column = run[start].x.rounded(.down)
        var end = start
        var lowest = start
        var highest = start
        while end + 1 < run.count && run[end + 1].x.rounded(.down) == column {
            end += 1
            if run[end].y < run[lowest].y { lowest = end }
            if run[end].y > run[highest].y { highest = end }
        }
        var kept = [start, lowest, highest, end]
        kept.sort()
        var previous = -1
        for index in kept where index != previous {
            result.append(run[index])
            previous = index
        }
        start = end + 1
    }
    return result
}
