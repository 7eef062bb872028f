import Foundation

/// One axis of a chart: its label, its scale and, optionally, a fixed range.
///
/// Without a fixed range the axis fits the data it shows (see `Ticks.domain(fitting:scale:)`).
/// On a logarithmic axis zero, negative and non-finite values cannot be drawn; charts
/// treat them as gaps.
public struct Axis: Sendable, Equatable {
    /// How data values map to positions.
    public enum Scale: Sendable, Equatable {
        /// Position proportional to the value.
        case linear
        /// Position proportional to log₁₀ of the value; only positive values are drawn.
        case logarithmic
    }

    public var label: String
    public var scale: Scale
    /// The range shown, in data units; `nil` fits the data.
    public var range: ClosedRange<Double>?

    public init(label: String = "", scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
        if let range, scale == .logarithmic {
            precondition(range.lowerBound > 0, "a log axis range must be positive, got \(range)")
        }
        self.label = label
        self.scale = scale
        self.range = range
    }

    /// A linear axis.
    public static func linear(label: String = "", range: ClosedRange<Double>? = nil) -> Axis {
        Axis(label: label, scale: .linear, range: range)
    }

    /// A base-10 logarithmic axis.
    /// - Precondition: `range`, if given, is positive.
    public static func log(label: String = "", range: ClosedRange<Double>? = nil) -> Axis {
        Axis(label: label, scale: .logarithmic, range: range)
    }

    /// Whether `value` can be placed on this axis: finite, and positive on a log axis.
    public func canShow(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }
}

/// The affine map from data values to pixels along one axis, in the scale's space
/// (log₁₀ of the value on a logarithmic axis).
struct AxisMapping {
    let scale: Axis.Scale
    let domain: ClosedRange<Double>
    let pixelStart: Double
    let pixelEnd: Double

    init(
        scale: Axis.Scale, domain: ClosedRange<Double>, pixelStart: Double, pixelEnd: Double
    ) {
        precondition(
            domain.lowerBound < domain.upperBound,
            "axis domain must be non-empty, got \(domain)")
        self.scale = scale
        self.domain = domain
        self.pixelStart = pixelStart
        self.pixelEnd = pixelEnd
    }

    private func transformed(_ value: Double) -> Double {
        scale == .logarithmic ? log10(value) : value
    }

    /// The pixel position of `value`, or nil when the value cannot be drawn (not finite,
    /// or not positive on a log axis). Values outside the domain map outside the pixel
    /// range; drawing is clipped to the plot area.
    func pixel(_ value: Double) -> Double? {
        guard value.isFinite, scale == .linear || value > 0 else { return nil }
        let low = transformed(domain.lowerBound)
        let high = transformed(domain.upperBound)
        let fraction = (transformed(value) - low) / (high - low)
        return pixelStart + fraction * (pixelEnd - pixelStart)
    }

    /// The pixel position of `value` clamped to the domain, for marks (reference lines)
    /// that must stay inside the plot.
    func clampedPixel(_ value: Double) -> Double? {
        guard let position = pixel(value) else { return nil }
        let low = min(pixelStart, pixelEnd)
        let high = max(pixelStart, pixelEnd)
        return min(max(position, low), high)
    }

    /// Whether `value` lies within the domain (inclusive).
    func contains(_ value: Double) -> Bool {
        value.isFinite && domain.contains(value) && (scale == .linear || value > 0)
    }
}
