import Foundation
import Testing

@testable import BasinReport

@Suite("Text formatting")
struct TextFormattingTests {
    @Test(
        "coordinates round to hundredths without trailing zeros or negative zero",
        arguments: [
            (12.3456, "12.35"), (40.0, "40"), (-3.07, "-3.07"), (-0.001, "0"), (0.5, "0.5"),
            (1e9, "10000000"),
        ])
    func coordinates(value: Double, expected: String) {
        #expect(TextFormatting.coordinate(value) == expected)
    }

    @Test("fixed notation keeps the requested decimals")
    func fixed() {
        #expect(TextFormatting.fixed(0.5, decimals: 2) == "0.50")
        #expect(TextFormatting.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(TextFormatting.fixed(-2.5, decimals: 0) == "-3")
        #expect(TextFormatting.fixed(0.0003, decimals: 4) == "0.0003")
        #expect(TextFormatting.fixed(.nan, decimals: 2) == "NaN")
        #expect(TextFormatting.fixed(-.infinity, decimals: 2) == "−∞")
    }

    @Test("scientific notation renormalises a mantissa that rounds up to 10")
    func scientific() {
        #expect(TextFormatting.scientific(0.00013, significantDigits: 2) == "1.3e-4")
        #expect(TextFormatting.scientific(9.996e-5, significantDigits: 2) == "1.0e-4")
        #expect(TextFormatting.scientific(-25_000_000, significantDigits: 1) == "-3e7")
        #expect(TextFormatting.scientific(0, significantDigits: 2) == "0.0e0")
    }

    @Test("table numbers use significant digits and switch to scientific outside 1e-3…1e6")
    func numbers() {
        #expect(TextFormatting.number(0.012345, significantDigits: 3) == "0.0123")
        #expect(TextFormatting.number(2.5e-7, significantDigits: 3) == "2.50e-7")
        #expect(TextFormatting.number(9.9996, significantDigits: 4) == "10.00")
        #expect(TextFormatting.number(123_456, significantDigits: 4) == "123456")
        #expect(TextFormatting.number(0) == "0")
        #expect(TextFormatting.number(.nan) == "NaN")
    }

    @Test("XML escaping replaces markup characters and drops forbidden controls")
    func xmlEscaping() {
        #expect(
            TextFormatting.xmlEscaped("a<b & \"c\" 'd'\u{1}\n")
                == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;\n")
        #expect(TextFormatting.xmlEscaped("θ₁ → 2/η") == "θ₁ → 2/η")
    }
}
