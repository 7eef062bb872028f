import Testing

@testable import BasinTraining

@Suite("Weight-decay mask")
struct WeightDecayMaskTests {
    @Test("no exemptions gives one decayed segment")
    func decayAll() {
        let mask = WeightDecayMask.decayAll(parameterCount: 10)
        #expect(mask.segments == [.init(range: 0..<10, isDecayed: true)])
        #expect(mask.decayedCount == 10)
    }

    @Test("unsorted, overlapping and touching exemptions merge into disjoint segments")
    func merging() {
        let mask = WeightDecayMask(
            parameterCount: 20, exemptRanges: [12..<15, 2..<4, 3..<6, 6..<7, 9..<9, 18..<20])
        #expect(
            mask.segments == [
                .init(range: 0..<2, isDecayed: true), .init(range: 2..<7, isDecayed: false),
                .init(range: 7..<12, isDecayed: true), .init(range: 12..<15, isDecayed: false),
                .init(range: 15..<18, isDecayed: true), .init(range: 18..<20, isDecayed: false),
            ])
        #expect(mask.decayedCount == 10)
        #expect(mask.isDecayed(1) && !mask.isDecayed(2) && !mask.isDecayed(6) && mask.isDecayed(7))
    }

    @Test("an exemption covering everything leaves nothing decayed")
    func allExempt() {
        let mask = WeightDecayMask(parameterCount: 5, exemptRanges: [0..<5])
        #expect(mask.segments == [.init(range: 0..<5, isDecayed: false)])
        #expect(mask.decayedCount == 0)
        #expect(WeightDecayMask(parameterCount: 0).segments.isEmpty)
    }
}
