import Foundation

/// Colours and type sizes shared by every chart.
///
/// Series colours are the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008),
/// which stays distinguishable under the common forms of colour blindness; it is ordered
/// so that the first colours have the most contrast against white (yellow comes last).
/// Continuous values use viridis (van der Walt & Smith, matplotlib 2.0), which is
/// perceptually uniform, readable in grey scale, and colour-blind safe.
public enum ChartStyle {
    /// Okabe–Ito colours in the order series receive them.
    public static let seriesColors: [String] = [
        "#0072B2",  // blue
        "#D55E00",  // vermillion
        "#009E73",  // bluish green
        "#CC79A7",  // reddish purple
        "#E69F00",  // orange
        "#56B4E9",  // sky blue
        "#000000",  // black
        "#F0E442",  // yellow
    ]

    /// The colour of the series at `index`, cycling through `seriesColors`.
    public static func seriesColor(_ index: Int) -> String {
        seriesColors[index % seriesColors.count]
    }

    static let fontFamily =
        "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
    static let titleFontSize = 15.0
    static let axisLabelFontSize = 13.0
    static let tickFontSize = 12.0
    static let annotationFontSize = 11.0
    static let textColor = "#222222"
    static let axisColor = "#444444"
    static let gridColor = "#e4e4e4"
    /// The default colour of reference lines.
    public static let referenceGray = "#555555"
    static let missingColor = "#d9d9d9"

    /// An estimate of the rendered width of `text` at `fontSize` for a sans-serif face.
    /// Digits and most letters are about 0.55 em wide; the estimate errs wide so that
    /// labels placed with it do not touch.
    // Widths are estimated, not measured: the SVG names a font stack and the viewer picks
    // the face, so the library cannot know the real metrics; the estimate errs wide.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for character in text {
            switch character {
            case "i", "j", "l", ".", ",", ":", ";", "|", "!", "'", "(", ")", "[", "]", " ":
                ems += 0.32
            case "m", "w", "M", "W", "—", "−":
                ems += 0.85
            default:
                ems += character.isUppercase ? 0.68 : 0.58
            }
        }
        return ems * fontSize
    }
}

/// A sequential colour map from low to high values (viridis), sampled by linear
/// interpolation in sRGB between eleven anchor colours of matplotlib's viridis.
public enum ColorMap {
    static let viridisAnchors: [(Double, Double, Double)] = [
        (0x44, 0x01, 0x54), (0x48, 0x24, 0x75), (0x41, 0x44, 0x87), (0x35, 0x5F, 0x8D),
        (0x2A, 0x78, 0x8E), (0x21, 0x91, 0x8C), (0x22, 0xA8, 0x84), (0x44, 0xBF, 0x70),
        (0x7A, 0xD1, 0x51), (0xBD, 0xDF, 0x26), (0xFD, 0xE7, 0x25),
    ]

    /// The colour at `fraction` ∈ [0, 1] (clamped) as `#rrggbb`.
    /// - Precondition: `fraction` is finite (missing values are drawn by the caller).
    public static func viridis(_ fraction: Double) -> String {
        let rgb = viridisComponents(fraction)
        return hex(rgb)
    }

    /// Whether dark text is more legible than white on the viridis colour at `fraction`:
    /// the WCAG 2 contrast ratios (L + 0.05)/0.05 against black and 1.05/(L + 0.05) against
    /// white are equal at relative luminance L ≈ 0.179.
    static func prefersDarkText(_ fraction: Double) -> Bool {
        let (red, green, blue) = viridisComponents(fraction)
        func linear(_ channel: Double) -> Double {
            let c = channel / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
        return luminance > 0.179
    }

    static func viridisComponents(_ fraction: Double) -> (Double, Double, Double) {
        precondition(fraction.isFinite, "colour map fraction must be finite, got \(fraction)")
        let position = min(max(fraction, 0), 1) * Double(viridisAnchors.count - 1)
        let lower = min(Int(position), viridisAnchors.count - 2)
        let weight = position - Double(lower)
        let a = viridisAnchors[lower]
        let b = viridisAnchors[lower + 1]
        return (
            a.0 + (b.0 - a.0) * weight, a.1 + (b.1 - a.1) * weight, a.2 + (b.2 - a.2) * weight
        )
    }

    static func hex(_ rgb: (Double, Double, Double)) -> String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for channel in [rgb.0, rgb.1, rgb.2] {
            let value = Int(min(max(channel, 0), 255).rounded())
            text.append(digits[value / 16])
            text.append(digits[value % 16])
        }
        return text
    }
}
