import Testing

@testable import BasinAnalysis

@Suite("Demo summary")
struct DemoSummaryTests {
    func findings(
        cycleBarriers: [Double], interpBarriers: [Double]? = nil, branchBarrier: Double = 0.01,
        ensembleError: Double = 0.10, ratios: [Double] = [0.5, 1.2, 2.5]
    ) -> DemoFindings {
        let pairs = cycleBarriers.enumerated().map { index, barrier in
            DemoFindings.Pair(
                name: "c\(index + 1)-c\(index + 2)",
                barrierByMode: [
                    .reset: barrier, .interp: interpBarriers?[index] ?? barrier * 3,
                    .batch: barrier * 2,
                ], startLoss: 0.3, endLoss: 0.31, negativeVarianceCount: index)
        }
        return DemoFindings(
            cycleEndPairs: pairs,
            branchPair: DemoFindings.Pair(
                name: "branch", barrierByMode: [.reset: branchBarrier], startLoss: 0.4,
                endLoss: 0.3),
            normalizedDisagreements: [0.8, 0.9], bestSingleError: 0.12,
            ensembleError: ensembleError, curvatureRatios: ratios, momenta: [0.9, 0.9, 0.9])
    }

    @Test("barriers above the threshold give the different-minima verdict with the numbers")
    func differentMinima() {
        let text = DemoSummary.sentences(findings(cycleBarriers: [0.4, 0.6])).joined(separator: " ")
        #expect(text.contains("different minima"))
        #expect(text.contains("0.40") && text.contains("0.60"))
        #expect(text.contains("largest with interp statistics"))
    }

    @Test("small measured numbers keep two significant digits instead of reading as zero")
    func smallNumbers() {
        #expect(DemoSummary.format(0.0042) == "0.0042")
        #expect(DemoSummary.format(-0.031) == "-0.031")
        #expect(DemoSummary.format(0.00004) == "4.0e-05")
        #expect(DemoSummary.format(0) == "0.00")
        #expect(DemoSummary.format(0.4) == "0.40")
        #expect(DemoSummary.format(49.71) == "49.7")
    }

    @Test("equal barriers in every mode do not claim that the BatchNorm treatment matters")
    func modesAgree() {
        let sentence = DemoSummary.modeSentence(
            findings(cycleBarriers: [0.0, 0.0], interpBarriers: [0.0, 0.01]))!
        #expect(sentence.contains("does not change this"))
        let differing = DemoSummary.modeSentence(findings(cycleBarriers: [0.3, 0.4]))!
        #expect(differing.contains("matters"))
    }

    @Test("barriers below the threshold give the connected-basin verdict")
    func connected() {
        let text = DemoSummary.sentences(findings(cycleBarriers: [0.01, -0.02]))
            .joined(separator: " ")
        #expect(text.contains("one linearly connected basin"))
        #expect(!text.contains("different minima"))
    }

    @Test("a mixed result says so, and altered curvature changes the curvature sentence")
    func mixedAndCurvature() {
        let mixed = DemoSummary.sentences(findings(cycleBarriers: [0.4, 0.01]))
        #expect(mixed[0].contains("1 of 2 pairs"))
        let calm = DemoSummary.sentences(findings(cycleBarriers: [0.4], ratios: [0.2, 0.3]))
        #expect(calm.last!.contains("stayed below"))
        let hot = DemoSummary.sentences(findings(cycleBarriers: [0.4]))
        #expect(hot.last!.contains("reached the stability bound"))
        #expect(hot.last!.contains("at 1 of 3"))
    }

    @Test("the ensemble sentence follows the measured errors")
    func ensemble() {
        let better = DemoSummary.functionSentence(findings(cycleBarriers: [0.4]))
        #expect(better.contains("10.0%") && better.contains("12.0%"))
        let same = DemoSummary.functionSentence(
            findings(cycleBarriers: [0.4], ensembleError: 0.12))
        #expect(same.contains("no better"))
    }

    @Test("a barrier on the descending branch is reported as such")
    func branch() {
        let quiet = DemoSummary.branchSentence(findings(cycleBarriers: [0.5]))!
        #expect(quiet.contains("show no barrier"))
        let loud = DemoSummary.branchSentence(findings(cycleBarriers: [0.5], branchBarrier: 0.3))!
        #expect(loud.contains("Even two checkpoints"))
    }
}
