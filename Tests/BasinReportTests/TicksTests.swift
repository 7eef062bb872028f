import BasinTestSupport
import Foundation
import Testing

@testable import BasinReport

/// Expected ticks are worked out by hand from the rule in `Ticks`: the step is the
/// smallest 1, 2 or 5 × 10ᵏ at least span / targetCount.
@Suite("Ticks")
struct TicksTests {
    @Test(
        "nice steps are the smallest 1, 2 or 5 × 10ᵏ not below the rough step",
        arguments: [
            (0.7, 1, 0), (1.0, 1, 0), (1.5, 2, 0), (3.0, 5, 0), (7.0, 1, 1), (0.00023, 5, -4),
        ])
    func niceSteps(rough: Double, mantissa: Int, exponent: Int) {
        let step = Ticks.niceStep(atLeast: rough)
        #expect(step.mantissa == mantissa && step.exponent == exponent)
    }

    @Test("the unit interval gets ticks every 0.2 with one decimal")
    func unitInterval() {
        let ticks = Ticks.linear(in: 0...1, targetCount: 5)
        expectClose(ticks.majorValues, [0, 0.2, 0.4, 0.6, 0.8, 1], absoluteTolerance: 0)
        #expect(ticks.major.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test("an awkward small range gets steps of 1e-4 labelled in scientific notation")
    func awkwardSmallRange() {
        let ticks = Ticks.linear(in: 0.00013...0.00071, targetCount: 6)
        expectClose(
            ticks.majorValues, [0.0002, 0.0003, 0.0004, 0.0005, 0.0006, 0.0007],
            absoluteTolerance: 0)
        #expect(ticks.major.map(\.label) == ["2e-4", "3e-4", "4e-4", "5e-4", "6e-4", "7e-4"])
    }

    @Test("negative ranges get ticks with a true minus sign")
    func negativeRanges() {
        let ticks = Ticks.linear(in: -7.3 ... -2.1, targetCount: 5)
        #expect(ticks.majorValues == [-6, -4])
        #expect(ticks.major.map(\.label) == ["−6", "−4"])
        let symmetric = Ticks.linear(in: -1...1, targetCount: 4)
        #expect(symmetric.major.map(\.label) == ["−1.0", "−0.5", "0.0", "0.5", "1.0"])
    }

    @Test("a single value is widened by 10 % (linear) or half a decade (log)")
    func singleValue() {
        let linear = Ticks.domain(fitting: [3, .nan], scale: .linear)
        expectClose([linear.lowerBound, linear.upperBound], [2.7, 3.3], absoluteTolerance: 1e-12)
        let ticks = Ticks.linear(in: linear, targetCount: 6)
        #expect(ticks.major.map(\.label) == ["2.7", "2.8", "2.9", "3.0", "3.1", "3.2", "3.3"])
        let log = Ticks.domain(fitting: [0.01], scale: .logarithmic)
        expectClose(
            [log.lowerBound, log.upperBound], [0.01 / 10.0.squareRoot(), 0.01 * 10.0.squareRoot()],
            absoluteTolerance: 1e-15)
        #expect(Ticks.domain(fitting: [0], scale: .linear) == -1...1)
        #expect(Ticks.linear(in: 5...5).major == [Tick(value: 5, label: "5.000")])
    }

    @Test("all-NaN data falls back to 0…1 or 1…10")
    func allNaN() {
        #expect(Ticks.domain(fitting: [.nan, .infinity], scale: .linear) == 0...1)
        #expect(Ticks.domain(fitting: [.nan, -1, 0], scale: .logarithmic) == 1...10)
        let ticks = Ticks.logarithmic(in: 1...10)
        #expect(ticks.major.map(\.label) == ["1", "2", "5", "10"])
        #expect(ticks.minor == [3, 4, 6, 7, 8, 9])
    }

    @Test("padding never pushes non-negative data below zero")
    func paddingStopsAtZero() {
        let domain = Ticks.domain(fitting: [0.1, 2.1], scale: .linear)
        expectClose(domain.lowerBound, 0.02, absoluteTolerance: 1e-15)
        expectClose(domain.upperBound, 2.18, absoluteTolerance: 1e-12)
        #expect(Ticks.domain(fitting: [0, 1], scale: .linear).lowerBound == 0)
    }

    @Test("a huge dynamic range labels every fifth decade in powers of ten")
    func hugeRange() {
        let ticks = Ticks.logarithmic(in: 1e-12...1e6, targetCount: 6)
        expectClose(
            ticks.majorValues, [1e-10, 1e-5, 1, 1e5], absoluteTolerance: 0, relativeTolerance: 1e-15
        )
        #expect(ticks.major.map(\.label) == ["10⁻¹⁰", "10⁻⁵", "10⁰", "10⁵"])
        #expect(ticks.minor.count == 15)
    }

    @Test("six decades label every decade, with 2…9 as minor marks")
    func decades() {
        let ticks = Ticks.logarithmic(in: 1e-5...10, targetCount: 6)
        #expect(ticks.major.map(\.label) == ["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"])
        #expect(ticks.minor.count == 6 * 8)
        #expect(ticks.minor.allSatisfy { (1e-5...10).contains($0) })
    }

    @Test("about two decades get 1, 2, 5 × 10ᵏ in plain numbers")
    func oneTwoFive() {
        let ticks = Ticks.logarithmic(in: 0.02...3)
        #expect(ticks.major.map(\.label) == ["0.02", "0.05", "0.1", "0.2", "0.5", "1", "2"])
    }

    @Test("under one decade a log axis uses linear steps")
    func underOneDecade() {
        let ticks = Ticks.logarithmic(in: 0.3...2.5, targetCount: 6)
        #expect(ticks.major.first?.label == "0.4")
        #expect(ticks.major.last?.label == "2.4")
        #expect(ticks.minor.isEmpty)
        let tiny = Ticks.logarithmic(in: 0.00013...0.00071)
        #expect(tiny.major.allSatisfy { $0.value > 0 && $0.label.hasSuffix("e-4") })
    }

    @Test(
        "tick labels placed on an axis never overlap",
        arguments: [
            (Axis.Scale.linear, 0.0, 1.0), (.linear, -1e-7, 3e-7), (.linear, 0.00013, 0.00071),
            (.linear, -123_456.0, 9_876_543.0), (.logarithmic, 1e-9, 1e9), (.logarithmic, 0.3, 2.5),
            (.logarithmic, 0.02, 3), (.logarithmic, 1e-7, 10),
        ])
    func labelsNeverOverlap(scale: Axis.Scale, low: Double, high: Double) {
        for (length, horizontal) in [(120.0, true), (500, true), (90, false), (300, false)] {
            let mapping = AxisMapping(
                scale: scale, domain: low...high, pixelStart: 0, pixelEnd: length)
            let ticks = PlotFrame.ticks(for: mapping, horizontal: horizontal)
            let extents = ticks.major.compactMap {
                PlotFrame.labelExtent($0, mapping: mapping, horizontal: horizontal)
            }.sorted { $0.lowerBound < $1.lowerBound }
            #expect(!extents.isEmpty, "no labels on \(scale) \(low)…\(high) over \(length) px")
            for (left, right) in zip(extents, extents.dropFirst()) {
                #expect(
                    left.upperBound + PlotFrame.labelGap <= right.lowerBound,
                    "labels overlap on \(scale) \(low)…\(high) over \(length) px")
            }
        }
    }
}
