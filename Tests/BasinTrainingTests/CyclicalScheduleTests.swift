import BasinTestSupport
import Foundation
import Testing

@testable import BasinTraining

@Suite("Cyclical learning rates")
struct CyclicalScheduleTests {
    @Test("triangular equals PyTorch CyclicLR, momentum included")
    func triangularMatchesPyTorch() {
        let schedule = CyclicalSchedule(
            baseLearningRate: 0.01, maximumLearningRate: 0.1, stepUpIterations: 5)
        expectSchedule(schedule, matches: PyTorchScheduleGolden.cyclicTriangular)
    }

    @Test("triangular2 with unequal halves equals PyTorch CyclicLR")
    func triangular2MatchesPyTorch() {
        let schedule = CyclicalSchedule(
            mode: .triangular2, baseLearningRate: 0.001, maximumLearningRate: 0.006,
            stepUpIterations: 4, stepDownIterations: 6, momentumAtBase: 0.95,
            momentumAtPeak: 0.85)
        expectSchedule(schedule, matches: PyTorchScheduleGolden.cyclicTriangular2Asymmetric)
    }

    @Test("exp_range with unequal halves equals PyTorch CyclicLR")
    func exponentialRangeMatchesPyTorch() {
        let schedule = CyclicalSchedule(
            mode: .exponentialRange(gamma: 0.97), baseLearningRate: 0.001,
            maximumLearningRate: 0.006, stepUpIterations: 3, stepDownIterations: 7)
        expectSchedule(schedule, matches: PyTorchScheduleGolden.cyclicExponentialRange)
    }

    @Test("symmetric triangular follows the bckenstler formula at every iteration")
    func bckenstlerFormula() {
        let (base, peak, step) = (0.001, 0.006, 7)
        let schedule = CyclicalSchedule(
            baseLearningRate: base, maximumLearningRate: peak, stepUpIterations: step)
        for iteration in 0..<60 {
            // cycle = ⌊1 + it/(2·step)⌋, x = |it/step − 2·cycle + 1| (Smith 2017, §3.1).
            let cycle = (1 + Double(iteration) / Double(2 * step)).rounded(.down)
            let x = abs(Double(iteration) / Double(step) - 2 * cycle + 1)
            let expected = base + (peak - base) * max(0, 1 - x)
            expectClose(
                schedule.value(at: iteration).learningRate, expected, absoluteTolerance: 1e-15,
                relativeTolerance: 1e-12, "iteration \(iteration)")
        }
    }

    @Test("base at cycle boundaries, peak and lowest momentum after the rising half")
    func namedIterations() {
        let schedule = CyclicalSchedule(
            mode: .triangular2, baseLearningRate: 0.1, maximumLearningRate: 1.0,
            stepUpIterations: 10, stepDownIterations: 30)
        #expect(schedule.cycleIterations == 40)
        #expect(schedule.cycleEndIterations(upTo: 120) == [40, 80, 120])
        for boundary in [0, 40, 80, 120] {
            expectClose(schedule.value(at: boundary).learningRate, 0.1, absoluteTolerance: 1e-12)
            expectClose(schedule.value(at: boundary).momentum, 0.9, absoluteTolerance: 1e-12)
        }
        // Peaks at 10, 50, 90 with amplitudes 0.9, 0.45, 0.225 (halving per cycle).
        for (peak, height) in [(10, 0.9), (50, 0.45), (90, 0.225)] {
            expectClose(
                schedule.value(at: peak).learningRate, 0.1 + height, absoluteTolerance: 1e-12)
        }
        expectClose(schedule.value(at: 10).momentum, 0.8, absoluteTolerance: 1e-12)
        // Falling half: a quarter of the way down the long side, 3/4 of the height remains.
        expectClose(
            schedule.value(at: 17).learningRate, 0.1 + 0.9 * 23 / 30, absoluteTolerance: 1e-12)
    }

    @Test("the Caffe variant divides the amplitude by the cycle index")
    func caffeVariant() {
        let schedule = CyclicalSchedule(
            mode: .caffeTriangular, baseLearningRate: 0, maximumLearningRate: 1,
            stepUpIterations: 4)
        expectClose(schedule.value(at: 4).learningRate, 1, absoluteTolerance: 1e-12)
        expectClose(schedule.value(at: 12).learningRate, 0.5, absoluteTolerance: 1e-12)
        expectClose(schedule.value(at: 20).learningRate, 1.0 / 3, absoluteTolerance: 1e-12)
    }

    @Test("equal start and peak momentum keeps momentum constant")
    func constantMomentum() {
        let schedule = CyclicalSchedule(
            baseLearningRate: 0.01, maximumLearningRate: 0.1, stepUpIterations: 3,
            momentumAtBase: 0.9, momentumAtPeak: 0.9)
        #expect(schedule.values(count: 20).allSatisfy { $0.momentum == 0.9 })
    }
}
