import Foundation

/// Deterministic text for numbers and markup.
///
/// Every number that reaches an SVG, Markdown or HTML file goes through one of these
/// functions, so the output depends only on the input values: no locale, no clock, no
/// platform `printf` differences. Coordinates are rounded to 1/100 of a pixel; tick
/// labels carry exactly the decimals their step needs; table numbers carry a fixed count
/// of significant digits.
public enum TextFormatting {
    /// A pixel coordinate rounded to two decimals with trailing zeros removed:
    /// `12.5`, `-3.07`, `40`. Values beyond ±10⁷ are clamped (they are off any canvas
    /// and would only be clipped), and `-0` prints as `0`.
    /// - Precondition: `value` is finite.
    public static func coordinate(_ value: Double) -> String {
        precondition(value.isFinite, "coordinate must be finite, got \(value)")
        let hundredths = Int((min(max(value, -1e7), 1e7) * 100).rounded())
        return fixedPoint(hundredths, decimals: 2, trimZeros: true)
    }

    /// `value` with exactly `decimals` digits after the point (rounded half away from
    /// zero), without exponent: `fixed(0.5, decimals: 2)` is `0.50`. `-0.00` prints as
    /// `0.00`. NaN prints as `NaN`, infinities as `∞` and `−∞`.
    /// - Precondition: `0 ≤ decimals ≤ 12` and `|value| < 10⁶` when finite, so the scaled
    ///   integer cannot overflow; larger values should use `scientific`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        if let special = nonFinite(value) { return special }
        precondition((0...12).contains(decimals), "decimals must be in 0...12, got \(decimals)")
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        precondition(
            abs(value) * scale < 9e15,
            "fixed(\(value), decimals: \(decimals)) would overflow; use scientific")
        let scaled = Int((value * scale).rounded(.toNearestOrAwayFromZero))
        return fixedPoint(scaled, decimals: decimals, trimZeros: false)
    }

    /// `value` as `m.mme±x` with `significantDigits` digits in the mantissa and the
    /// shortest exponent: `scientific(0.00013, significantDigits: 2)` is `1.3e-4`.
    /// Trailing zeros of the mantissa are kept so that a column of numbers aligns.
    public static func scientific(_ value: Double, significantDigits: Int) -> String {
        if let special = nonFinite(value) { return special }
        precondition(significantDigits >= 1, "significantDigits must be ≥ 1")
        if value == 0 { return fixed(0, decimals: significantDigits - 1) + "e0" }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = value / pow(10, Double(exponent))
        // Rounding the mantissa can carry it to 10 (9.996 → 10.0); renormalise.
        let rounded = roundedTo(mantissa, decimals: significantDigits - 1)
        if abs(rounded) >= 10 {
            exponent += 1
            mantissa = value / pow(10, Double(exponent))
        }
        return fixed(mantissa, decimals: significantDigits - 1) + "e\(exponent)"
    }

    /// A number for a table of results: `significantDigits` significant digits, in fixed
    /// notation when `10⁻³ ≤ |value| < 10⁶` (and for zero), otherwise scientific.
    /// `number(0.012345, significantDigits: 3)` is `0.0123`; `number(2.5e-7, …)` is
    /// `2.50e-7`.
    public static func number(_ value: Double, significantDigits: Int = 4) -> String {
        if let special = nonFinite(value) { return special }
        precondition(significantDigits >= 1, "significantDigits must be ≥ 1")
        let magnitude = abs(value)
        if value == 0 { return "0" }
        if magnitude < 1e-3 || magnitude >= 1e6 {
            return scientific(value, significantDigits: significantDigits)
        }
        let leading = Int(floor(log10(magnitude)))
        var decimals = max(0, significantDigits - 1 - leading)
        // Rounding may add a digit in front (9.9996 → 10.000); drop one decimal then.
        if abs(roundedTo(value, decimals: decimals)) >= pow(10, Double(leading + 1)) {
            decimals = max(0, decimals - 1)
        }
        return fixed(value, decimals: min(decimals, 12))
    }

    /// Text for an XML text node or a double-quoted attribute value: `&`, `<`, `>`, `"`
    /// and `'` become entities, and characters that XML 1.0 forbids (controls other than
    /// tab, newline and carriage return) are dropped.
    public static func xmlEscaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    continue
                }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    // MARK: - Steps

    static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "∞" : "−∞" }
        return nil
    }

    static func roundedTo(_ value: Double, decimals: Int) -> Double {
        let scale = pow(10, Double(decimals))
        return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

    /// Writes the integer `scaled` / 10^decimals in fixed point.
    static func fixedPoint(_ scaled: Int, decimals: Int, trimZeros: Bool) -> String {
        let negative = scaled < 0
        let digits = String(scaled.magnitude)
        var whole: Substring
        var fraction: String
        if decimals == 0 {
            whole = Substring(digits)
            fraction = ""
        } else {
            let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
            whole = padded.dropLast(decimals)
            fraction = String(padded.suffix(decimals))
        }
        if trimZeros {
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        let isZero = scaled == 0
        let sign = negative && !isZero ? "-" : ""
        return fraction.isEmpty ? sign + whole : sign + whole + "." + fraction
    }
}
