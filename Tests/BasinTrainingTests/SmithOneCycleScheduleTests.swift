import BasinTestSupport
import Testing

@testable import BasinTraining

@Suite("Smith's Caffe 1cycle")
struct SmithOneCycleScheduleTests {
    /// The CIFAR-100 ResNet-56 run of arXiv 1803.09820 (lnsmith54/hyperParam1 logs).
    let schedule = SmithOneCycleSchedule(
        baseLearningRate: 0.1, maximumLearningRate: 1.2, stepIterations: 3417,
        totalIterations: 7080)

    @Test("rises linearly from base to max with momentum falling 0.95 → 0.85")
    func risingHalf() {
        expectClose(schedule.value(at: 0).learningRate, 0.1, absoluteTolerance: 1e-15)
        expectClose(schedule.value(at: 0).momentum, 0.95, absoluteTolerance: 1e-15)
        expectClose(
            schedule.value(at: 1708).learningRate, 0.1 + 1.1 * 1708 / 3417,
            absoluteTolerance: 1e-12)
        expectClose(schedule.value(at: 3417).learningRate, 1.2, absoluteTolerance: 1e-15)
        expectClose(schedule.value(at: 3417).momentum, 0.85, absoluteTolerance: 1e-15)
    }

    @Test("falls toward zero, matching the logged 0.0119 at iteration 6800")
    func fallingHalf() {
        let rate = schedule.value(at: 6800).learningRate
        expectClose(rate, 1.2 * 34 / 3417, absoluteTolerance: 1e-15)
        #expect((rate * 1e4).rounded() == 119)
        expectClose(
            schedule.value(at: 6800).momentum, 0.85 + 0.1 * 3383 / 3417,
            absoluteTolerance: 1e-12)
    }

    @Test("the tail holds base/1000 with the highest momentum, also past the end")
    func tail() {
        for iteration in [6834, 7000, 7079, 7080, 20000] {
            expectClose(schedule.value(at: iteration).learningRate, 1e-4, absoluteTolerance: 1e-18)
            expectClose(schedule.value(at: iteration).momentum, 0.95, absoluteTolerance: 1e-15)
        }
        #expect(schedule.cycleEndIterations(upTo: 7080) == [7080])
        #expect(schedule.totalIterations == 7080)
    }
}
