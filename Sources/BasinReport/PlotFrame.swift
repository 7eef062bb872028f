import Foundation

/// The frame of a Cartesian chart: title, legend, plot area, axes with ticks and labels.
///
/// The frame chooses its margins from the text it must hold (tick labels, axis labels,
/// legend rows), so nothing is clipped at the edge of the canvas; the chart draws its data
/// inside `plotArea`, clipped to it. Tick labels are thinned until none overlap.
struct PlotFrame {
    struct Area: Equatable {
        var left: Double
        var top: Double
        var right: Double
        var bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    let width: Double
    let height: Double
    let title: String
    let legend: [LegendEntry]
    let xAxis: Axis
    let yAxis: Axis
    let secondaryAxis: Axis?
    let secondaryLabelColor: String?
    /// Room kept right of the plot (and of a secondary axis) for a colour bar.
    let extraRightMargin: Double
    /// Size of the title text (smaller for the panels of small multiples).
    let titleFontSize: Double
    private(set) var plotArea = Area(left: 0, top: 0, right: 0, bottom: 0)
    private(set) var xMapping: AxisMapping
    private(set) var yMapping: AxisMapping
    private(set) var secondaryMapping: AxisMapping?
    private(set) var xTicks = TickSet(major: [])
    private(set) var yTicks = TickSet(major: [])
    private(set) var secondaryTicks = TickSet(major: [])
    private(set) var legendRows: [[(entry: LegendEntry, x: Double)]] = []

    static let tickLength = 5.0
    static let legendRowHeight = 18.0

    /// Lays out a frame of `width × height` pixels for the given domains (data units).
    init(
        width: Double, height: Double, title: String, legend: [LegendEntry],
        xAxis: Axis, xDomain: ClosedRange<Double>, yAxis: Axis, yDomain: ClosedRange<Double>,
        secondaryAxis: Axis? = nil, secondaryDomain: ClosedRange<Double>? = nil,
        secondaryLabelColor: String? = nil, extraRightMargin: Double = 0,
        titleFontSize: Double = ChartStyle.titleFontSize
    ) {
        precondition(width >= 200 && height >= 150, "chart too small: \(width) × \(height)")
        self.width = width
        self.height = height
        self.title = title
        self.legend = legend
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.secondaryAxis = secondaryAxis
        self.secondaryLabelColor = secondaryLabelColor
        self.extraRightMargin = extraRightMargin
        self.titleFontSize = titleFontSize
        // Overwritten by the layout below; stored properties need a value first.
        xMapping = AxisMapping(scale: xAxis.scale, domain: xDomain, pixelStart: 0, pixelEnd: 1)
        yMapping = AxisMapping(scale: yAxis.scale, domain: yDomain, pixelStart: 1, pixelEnd: 0)

        // Margins depend on tick labels, whose number depends on the plot size: repeat until
        // the plot area stops changing (two or three rounds in practice).
        var area = Area(left: 60, top: 40, right: width - 20, bottom: height - 50)
        for _ in 0..<6 {
            assignMappings(
                area: area, xDomain: xDomain, yDomain: yDomain, secondaryDomain: secondaryDomain)
            let next = margins()
            if next == area { break }
            area = next
        }
        assignMappings(
            area: area, xDomain: xDomain, yDomain: yDomain, secondaryDomain: secondaryDomain)
        plotArea = area
    }

    private mutating func assignMappings(
        area: Area, xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>,
        secondaryDomain: ClosedRange<Double>?
    ) {
        xMapping = AxisMapping(
            scale: xAxis.scale, domain: xDomain, pixelStart: area.left, pixelEnd: area.right)
        yMapping = AxisMapping(
            scale: yAxis.scale, domain: yDomain, pixelStart: area.bottom, pixelEnd: area.top)
        xTicks = Self.ticks(for: xMapping, horizontal: true)
        yTicks = Self.ticks(for: yMapping, horizontal: false)
        if let secondaryAxis, let secondaryDomain {
            let mapping = AxisMapping(
                scale: secondaryAxis.scale, domain: secondaryDomain, pixelStart: area.bottom,
                pixelEnd: area.top)
            secondaryMapping = mapping
            secondaryTicks = Self.ticks(for: mapping, horizontal: false)
        }
    }

    /// The plot area that leaves room for the current ticks, labels, title and legend.
    private mutating func margins() -> Area {
        let tickFont = ChartStyle.tickFontSize
        let widestY =
            yTicks.major.map { ChartStyle.textWidth($0.label, fontSize: tickFont) }
            .max() ?? 0
        var left = 8 + widestY + Self.tickLength + 4
        if !yAxis.label.isEmpty { left += ChartStyle.axisLabelFontSize + 8 }

        var right = 12.0
        if secondaryAxis != nil {
            let widest =
                secondaryTicks.major.map {
                    ChartStyle.textWidth($0.label, fontSize: tickFont)
                }.max() ?? 0
            right = 8 + widest + Self.tickLength + 4
            if !(secondaryAxis?.label.isEmpty ?? true) {
                right += ChartStyle.axisLabelFontSize + 8
            }
        }
        // The last x label is centred on its tick and may reach past the plot's right edge.
        if let last = xTicks.major.last(where: { !$0.label.isEmpty }),
            let position = xMapping.pixel(last.value)
        {
            let overhang =
                position + ChartStyle.textWidth(last.label, fontSize: tickFont) / 2
                - xMapping.pixelEnd
            right = max(right, overhang + 4)
        }

        right += extraRightMargin

        var top = 10.0
        if !title.isEmpty { top += titleFontSize + 10 }
        legendRows = Self.legendLayout(legend, availableWidth: width - 20)
        top += Double(legendRows.count) * Self.legendRowHeight
        top += legendRows.isEmpty ? 6 : 8

        var bottom = 8 + Self.tickLength + tickFont + 6
        if !xAxis.label.isEmpty { bottom += ChartStyle.axisLabelFontSize + 8 }
        return Area(left: left, top: top, right: width - right, bottom: height - bottom)
    }

    /// Ticks for an axis mapped to pixels, with no two labels overlapping: on a linear axis
    /// fewer ticks are tried first; then labels are dropped greedily from the low end up.
    static func ticks(for mapping: AxisMapping, horizontal: Bool) -> TickSet {
        let length = abs(mapping.pixelEnd - mapping.pixelStart)
        var target = max(2, Int(length / (horizontal ? 55 : 36)))
        var ticks = TickSet(major: [])
        while true {
            ticks =
                mapping.scale == .linear
                ? Ticks.linear(in: mapping.domain, targetCount: target)
                : Ticks.logarithmic(in: mapping.domain, targetCount: target)
            // On a log axis equal steps crowd at one end; thinning keeps the spread-out ones.
            if mapping.scale == .logarithmic || target <= 2
                || !labelsCollide(ticks, mapping: mapping, horizontal: horizontal)
            {
                break
            }
            target -= 1
        }
        return thinned(ticks, mapping: mapping, horizontal: horizontal)
    }

    /// The pixel interval a tick label occupies along its axis.
    static func labelExtent(_ tick: Tick, mapping: AxisMapping, horizontal: Bool)
        -> ClosedRange<Double>?
    {
        guard !tick.label.isEmpty, let center = mapping.pixel(tick.value) else { return nil }
        let half =
            horizontal
            ? ChartStyle.textWidth(tick.label, fontSize: ChartStyle.tickFontSize) / 2
            : ChartStyle.tickFontSize * 0.6
        return (center - half)...(center + half)
    }

    static let labelGap = 6.0

    static func labelsCollide(_ ticks: TickSet, mapping: AxisMapping, horizontal: Bool) -> Bool {
        thinned(ticks, mapping: mapping, horizontal: horizontal) != ticks
    }

    /// Blanks every label that would come within `labelGap` pixels of a label kept
    /// before it (walking along the axis).
    static func thinned(_ ticks: TickSet, mapping: AxisMapping, horizontal: Bool) -> TickSet {
        var result = ticks
        var previous: ClosedRange<Double>?
        let order = result.major.indices.sorted {
            (mapping.pixel(result.major[$0].value) ?? 0)
                < (mapping.pixel(result.major[$1].value) ?? 0)
        }
        for index in order {
            guard
                let extent = labelExtent(
                    result.major[index], mapping: mapping, horizontal: horizontal)
            else { continue }
            if let previous, extent.lowerBound < previous.upperBound + labelGap {
                result.major[index].label = ""
            } else {
                previous = extent
            }
        }
        return result
    }

    /// Greedy line breaking of legend entries into rows no wider than `availableWidth`.
    static func legendLayout(_ entries: [LegendEntry], availableWidth: Double)
        -> [[(entry: LegendEntry, x: Double)]]
    {
        var rows: [[(entry: LegendEntry, x: Double)]] = []
        var row: [(entry: LegendEntry, x: Double)] = []
        var x = 10.0
        for entry in entries {
            let entryWidth = entry.width
            if !row.isEmpty && x + entryWidth > availableWidth + 10 {
                rows.append(row)
                row = []
                x = 10
            }
            row.append((entry, x))
            x += entryWidth + 18
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }
}
