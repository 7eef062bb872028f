import Foundation

/// A labelled tick mark at `value` (in data units). An empty label draws the mark only.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// The ticks of one axis: major ticks (labelled, with grid lines) and minor marks.
public struct TickSet: Sendable, Equatable {
    public var major: [Tick]
    public var minor: [Double]

    public init(major: [Tick], minor: [Double] = []) {
        self.major = major
        self.minor = minor
    }

    /// The values of the major ticks.
    public var majorValues: [Double] { major.map(\.value) }
}

/// Tick placement for linear and logarithmic axes, and the data range an axis shows.
///
/// Linear ticks fall on multiples of a step of 1, 2 or 5 × 10ᵏ, chosen as the smallest such
/// step that gives at most `targetCount` intervals across the domain. Logarithmic ticks
/// depend on how many decades the domain spans: under one decade they are the linear ticks
/// of the range; up to 2.5 decades, 1, 2 and 5 × 10ᵏ labelled with the other integers as
/// minor marks; beyond that, every k-th decade labelled (k = 1, 2, 5, 10, …) with the
/// remaining decades, or 2…9 × 10ᵏ when k = 1, as minor marks.
public enum Ticks {
    /// The smallest step m × 10ᵏ with m ∈ {1, 2, 5} that is at least `roughStep`.
    /// - Precondition: `roughStep` is positive and finite.
    public static func niceStep(atLeast roughStep: Double) -> (mantissa: Int, exponent: Int) {
        precondition(
            roughStep > 0 && roughStep.isFinite, "rough step must be positive, got \(roughStep)")
        var exponent = Int(floor(log10(roughStep)))
        let fraction = roughStep / pow(10, Double(exponent))
        var mantissa: Int
        // Tolerances absorb the rounding of log10 and pow near exact powers of ten.
        if fraction <= 1 + 1e-9 {
            mantissa = 1
        } else if fraction <= 2 + 1e-9 {
            mantissa = 2
        } else if fraction <= 5 + 1e-9 {
            mantissa = 5
        } else {
            mantissa = 1
            exponent += 1
        }
        return (mantissa, exponent)
    }

    /// Ticks on a linear axis over `domain`, at most `targetCount` intervals apart (so at
    /// most `targetCount + 1` ticks), with labels carrying exactly the decimals the step
    /// needs. Negative labels use the minus sign U+2212; labels are in scientific notation
    /// when the values are below 10⁻³ or at least 10⁶ in magnitude. A degenerate domain
    /// gives a single tick at its value.
    /// - Precondition: `domain` is finite and `targetCount ≥ 1`.
    public static func linear(in domain: ClosedRange<Double>, targetCount: Int = 6) -> TickSet {
        precondition(
            domain.lowerBound.isFinite && domain.upperBound.isFinite,
            "tick domain must be finite, got \(domain)")
        precondition(targetCount >= 1, "targetCount must be ≥ 1, got \(targetCount)")
        let span = domain.upperBound - domain.lowerBound
        let magnitude = max(abs(domain.lowerBound), abs(domain.upperBound))
        // A span below 10⁻¹⁰ of the values cannot be labelled in distinct readable numbers
        // (and an infinite one has no step): mark the middle only.
        guard span > magnitude * 1e-10, span.isFinite else {
            let value = span.isFinite ? domain.lowerBound + span / 2 : 0
            return TickSet(major: [Tick(value: value, label: TextFormatting.number(value))])
        }
        let step = niceStep(atLeast: span / Double(targetCount))
        let values = multiples(of: step, in: domain)
        return TickSet(major: labelled(values, step: step))
    }

    /// Ticks on a base-10 logarithmic axis over `domain`, as described for the type.
    /// - Precondition: `domain` is positive and finite, `targetCount ≥ 1`.
    public static func logarithmic(in domain: ClosedRange<Double>, targetCount: Int = 6)
        -> TickSet
    {
        precondition(
            domain.lowerBound > 0 && domain.upperBound.isFinite,
            "log tick domain must be positive and finite, got \(domain)")
        let lowDecade = log10(domain.lowerBound)
        let highDecade = log10(domain.upperBound)
        let firstPower = Int(ceil(lowDecade - 1e-9))
        let lastPower = Int(floor(highDecade + 1e-9))
        let span = highDecade - lowDecade

        // Under one decade, powers of ten say too little: use linear steps, drawn at their
        // logarithmic positions.
        if span < 1 {
            // Equal steps crowd at the top of a log axis; callers thin colliding labels.
            var ticks = linear(in: domain, targetCount: max(4, targetCount * 2))
            ticks.major = ticks.major.filter { $0.value > 0 }
            return ticks
        }
        if span <= 2.5 {
            return oneTwoFive(in: domain, firstPower: firstPower - 1, lastPower: lastPower)
        }
        return decades(
            in: domain, firstPower: firstPower, lastPower: lastPower, targetCount: targetCount)
    }

    /// The range an axis shows for `values`: the finite values (positive ones on a log
    /// axis) widened by `paddingFraction` of their span on each side (in log space on a log
    /// axis). A linear range of non-negative data is not padded below zero. A single value
    /// v gets v ± 10 % (±1 if v = 0) on a linear axis and v ÷ √10 … v × √10 on a log axis.
    /// With no usable value the range is 0…1 (linear) or 1…10 (log).
    public static func domain(
        fitting values: [Double], scale: Axis.Scale, paddingFraction: Double = 0.04
    ) -> ClosedRange<Double> {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard let low = usable.min(), let high = usable.max() else {
            return scale == .linear ? 0...1 : 1...10
        }
        switch scale {
        case .linear:
            if low == high {
                let half = low == 0 ? 1 : abs(low) * 0.1
                return (low - half)...(high + half)
            }
            let pad = (high - low) * paddingFraction
            let paddedLow = low >= 0 ? max(0, low - pad) : low - pad
            return paddedLow...(high + pad)
        case .logarithmic:
            let logLow = log10(low)
            let logHigh = log10(high)
            if logLow == logHigh { return (low / 10.0.squareRoot())...(high * 10.0.squareRoot()) }
            let pad = (logHigh - logLow) * paddingFraction
            return pow(10, logLow - pad)...pow(10, logHigh + pad)
        }
    }

    // MARK: - Steps

    /// i × step for every integer i with i × step in `domain`, computed as a quotient or
    /// product of integers and a power of ten so that 3 × 0.1 prints as 0.3.
    static func multiples(of step: (mantissa: Int, exponent: Int), in domain: ClosedRange<Double>)
        -> [Double]
    {
        let stepValue = Double(step.mantissa) * pow(10, Double(step.exponent))
        let first = Int(ceil(domain.lowerBound / stepValue - 1e-9))
        let last = Int(floor(domain.upperBound / stepValue + 1e-9))
        guard first <= last else { return [] }
        return (first...last).map { index in
            let count = Double(index * step.mantissa)
            return step.exponent < 0
                ? count / pow(10, Double(-step.exponent)) : count * pow(10, Double(step.exponent))
        }
    }

    /// Labels for linear ticks at `values` spaced by `step`.
    static func labelled(_ values: [Double], step: (mantissa: Int, exponent: Int)) -> [Tick] {
        let largest = values.map(abs).max() ?? 0
        let useScientific = largest >= 1e6 || (largest > 0 && largest < 1e-3)
        if useScientific {
            let leading = Int(floor(log10(largest)))
            let digits = min(12, max(1, leading - step.exponent + 1))
            return values.map { value in
                Tick(
                    value: value,
                    label: value == 0
                        ? "0"
                        : typographicMinus(
                            TextFormatting.scientific(value, significantDigits: digits)))
            }
        }
        let decimals = min(12, max(0, -step.exponent))
        return values.map {
            Tick(value: $0, label: typographicMinus(TextFormatting.fixed($0, decimals: decimals)))
        }
    }

    /// A leading hyphen replaced by the minus sign U+2212, which is as wide as a digit.
    static func typographicMinus(_ label: String) -> String {
        label.hasPrefix("-") ? "−" + label.dropFirst() : label
    }

    /// 1, 2, 5 × 10ᵏ as labelled ticks and 3, 4, 6, 7, 8, 9 × 10ᵏ as minor marks.
    static func oneTwoFive(in domain: ClosedRange<Double>, firstPower: Int, lastPower: Int)
        -> TickSet
    {
        var major: [Tick] = []
        var minor: [Double] = []
        for power in firstPower...lastPower {
            for multiple in 1...9 {
                let value = decimalValue(multiple, power)
                guard value >= domain.lowerBound * (1 - 1e-12),
                    value <= domain.upperBound * (1 + 1e-12)
                else { continue }
                if [1, 2, 5].contains(multiple) {
                    major.append(Tick(value: value, label: logLabel(multiple, power)))
                } else {
                    minor.append(value)
                }
            }
        }
        return TickSet(major: major, minor: minor)
    }

    /// Every k-th power of ten labelled, the others (and 2…9 × 10ᵏ when k = 1) minor.
    static func decades(
        in domain: ClosedRange<Double>, firstPower: Int, lastPower: Int, targetCount: Int
    ) -> TickSet {
        let powerCount = lastPower - firstPower
        let stride = niceStep(atLeast: max(1, Double(powerCount) / Double(max(1, targetCount))))
        let decadeStride = stride.mantissa * Int(pow(10, Double(stride.exponent)))
        let useExponents = firstPower < -3 || lastPower > 5
        var major: [Tick] = []
        var minor: [Double] = []
        for power in (firstPower - 1)...lastPower {
            let value = decimalValue(1, power)
            if power >= firstPower {
                if power.isMultiple(of: decadeStride) {
                    let label = useExponents ? powerOfTenLabel(power) : logLabel(1, power)
                    major.append(Tick(value: value, label: label))
                } else {
                    minor.append(value)
                }
            }
            guard decadeStride == 1 else { continue }
            for multiple in 2...9 {
                let between = decimalValue(multiple, power)
                if between >= domain.lowerBound, between <= domain.upperBound {
                    minor.append(between)
                }
            }
        }
        return TickSet(major: major, minor: minor)
    }

    /// multiple × 10^power, exact for the small integers used here.
    static func decimalValue(_ multiple: Int, _ power: Int) -> Double {
        power < 0
            ? Double(multiple) / pow(10, Double(-power)) : Double(multiple) * pow(10, Double(power))
    }

    /// A plain label for multiple × 10^power between 10⁻³ and 10⁶, otherwise "2e-5".
    static func logLabel(_ multiple: Int, _ power: Int) -> String {
        if power >= -3 && power < 6 {
            return TextFormatting.fixed(decimalValue(multiple, power), decimals: max(0, -power))
        }
        return "\(multiple)e\(power)"
    }

    /// "10" followed by the exponent in Unicode superscripts: 10⁻⁴, 10¹².
    static func powerOfTenLabel(_ power: Int) -> String {
        let superscripts: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷",
            "8": "⁸", "9": "⁹", "-": "⁻",
        ]
        return "10" + String(String(power).map { superscripts[$0] ?? $0 })
    }
}
