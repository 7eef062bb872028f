import Foundation
import Testing

@testable import BasinReport

@Suite("Palette")
struct PaletteTests {
    @Test("viridis hits its anchor colours and clamps outside 0…1")
    func viridis() {
        #expect(ColorMap.viridis(0) == "#440154")
        #expect(ColorMap.viridis(0.5) == "#21918c")
        #expect(ColorMap.viridis(1) == "#fde725")
        #expect(ColorMap.viridis(-3) == "#440154")
        #expect(ColorMap.viridis(7) == "#fde725")
        // Halfway between the anchors at 0.9 (#bddf26) and 1.0 (#fde725).
        #expect(ColorMap.viridis(0.95) == "#dde326")
    }

    @Test("dark text is chosen on light colours only")
    func textContrast() {
        #expect(!ColorMap.prefersDarkText(0))
        #expect(!ColorMap.prefersDarkText(0.2))
        #expect(ColorMap.prefersDarkText(0.8))
        #expect(ColorMap.prefersDarkText(1))
    }

    @Test("series colours are the eight Okabe–Ito colours, cycling")
    func seriesColors() {
        #expect(Set(ChartStyle.seriesColors).count == 8)
        #expect(ChartStyle.seriesColor(0) == "#0072B2")
        #expect(ChartStyle.seriesColor(8) == ChartStyle.seriesColor(0))
    }

    @Test("text width estimates grow with length and size")
    func textWidth() {
        let short = ChartStyle.textWidth("0.5", fontSize: 12)
        #expect(short > 0)
        #expect(ChartStyle.textWidth("0.55", fontSize: 12) > short)
        #expect(ChartStyle.textWidth("0.5", fontSize: 24) == 2 * short)
    }
}
