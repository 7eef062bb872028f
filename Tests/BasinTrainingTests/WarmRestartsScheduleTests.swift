import BasinTestSupport
import Foundation
import Testing

@testable import BasinTraining

@Suite("Cosine annealing with warm restarts")
struct WarmRestartsScheduleTests {
    @Test("equals PyTorch CosineAnnealingWarmRestarts stepped per iteration")
    func matchesPyTorch() {
        let schedule = WarmRestartsSchedule(
            maximumLearningRate: 0.1, minimumLearningRate: 0.001, firstCycleIterations: 4,
            cycleLengthMultiplier: 2)
        expectSchedule(schedule, matches: PyTorchScheduleGolden.warmRestarts)
    }

    @Test("cycles end at the restarts, T_0·(1 + T_mult + T_mult² + …)")
    func cycleEnds() {
        let growing = WarmRestartsSchedule(
            maximumLearningRate: 1, firstCycleIterations: 4, cycleLengthMultiplier: 2)
        #expect(growing.cycleEndIterations(upTo: 30) == [4, 12, 28])
        #expect(growing.cycleEndIterations(upTo: 3) == [])
        let fixed = WarmRestartsSchedule(maximumLearningRate: 1, firstCycleIterations: 5)
        #expect(fixed.cycleEndIterations(upTo: 16) == [5, 10, 15])
        // Each restart returns to the maximum; the iteration before is near the minimum.
        for restart in [4, 12, 28] {
            #expect(growing.value(at: restart).learningRate == 1)
            #expect(growing.value(at: restart - 1).learningRate < 0.2)
        }
    }

    @Test("halfway through a cycle the rate is the mean of max and min")
    func midpoint() {
        let schedule = WarmRestartsSchedule(
            maximumLearningRate: 0.3, minimumLearningRate: 0.1, firstCycleIterations: 10,
            cycleLengthMultiplier: 3)
        expectClose(schedule.value(at: 5).learningRate, 0.2, absoluteTolerance: 1e-15)
        expectClose(schedule.value(at: 25).learningRate, 0.2, absoluteTolerance: 1e-15)
        #expect(schedule.value(at: 25).momentum == 0.9)
    }
}
