import BasinTestSupport
import Foundation
import Testing

@testable import BasinTraining

@Suite("One-cycle schedules, PyTorch and fastai")
struct OneCycleScheduleTests {
    @Test("the defaults equal PyTorch OneCycleLR")
    func defaultsMatchPyTorch() {
        let schedule = OneCycleSchedule(maximumLearningRate: 0.1, totalIterations: 20)
        expectSchedule(schedule, matches: PyTorchScheduleGolden.oneCycleDefaults)
    }

    @Test("linear annealing with a fractional phase boundary equals PyTorch OneCycleLR")
    func linearMatchesPyTorch() {
        let schedule = OneCycleSchedule(
            maximumLearningRate: 1.0, totalIterations: 17, pctStart: 0.25, annealing: .linear,
            divFactor: 10, finalDivFactor: 100, momentumAtBase: 0.9, momentumAtPeak: 0.8)
        expectSchedule(schedule, matches: PyTorchScheduleGolden.oneCycleLinear)
    }

    @Test("three phases equal PyTorch OneCycleLR with three_phase=True")
    func threePhaseMatchesPyTorch() {
        let schedule = OneCycleSchedule(
            maximumLearningRate: 0.5, totalIterations: 23, threePhase: true)
        expectSchedule(schedule, matches: PyTorchScheduleGolden.oneCycleThreePhase)
    }

    @Test("starts at max/div, peaks at pct·T − 1, ends at max/div/final_div")
    func namedIterations() {
        let schedule = OneCycleSchedule(maximumLearningRate: 0.1, totalIterations: 20)
        expectClose(schedule.value(at: 0).learningRate, 0.004, absoluteTolerance: 1e-15)
        expectClose(schedule.value(at: 0).momentum, 0.95, absoluteTolerance: 1e-15)
        expectClose(schedule.value(at: 5).learningRate, 0.1, absoluteTolerance: 1e-15)
        expectClose(schedule.value(at: 5).momentum, 0.85, absoluteTolerance: 1e-15)
        expectClose(schedule.value(at: 19).learningRate, 4e-7, absoluteTolerance: 1e-18)
        expectClose(schedule.value(at: 19).momentum, 0.95, absoluteTolerance: 1e-15)
        #expect(schedule.minimumLearningRate == 0.1 / 25 / 1e4)
    }

    @Test("past the end it holds the last value instead of failing")
    func holdsPastTheEnd() {
        let schedule = OneCycleSchedule(maximumLearningRate: 0.1, totalIterations: 20)
        for iteration in [20, 21, 1000] {
            #expect(schedule.value(at: iteration) == schedule.value(at: 19))
        }
        #expect(schedule.totalIterations == 20)
        #expect(schedule.cycleEndIterations(upTo: 20) == [20])
    }

    @Test("a zero-length first phase starts at the peak instead of giving NaN")
    func zeroLengthPhase() {
        // pct·T − 1 = 0: PyTorch divides 0 by 0 at iteration 0.
        let schedule = OneCycleSchedule(maximumLearningRate: 2, totalIterations: 10, pctStart: 0.1)
        #expect(schedule.value(at: 0).learningRate == 2)
        #expect(schedule.values(count: 10).allSatisfy { !$0.learningRate.isNaN })
    }

    @Test("fastai style: cosine halves meeting at pct·T, final rate max/1e5")
    func fastaiStyle() {
        let schedule = OneCycleSchedule(
            style: .fastai, maximumLearningRate: 1, totalIterations: 200)
        #expect(schedule.pctStart == 0.25)
        #expect(schedule.finalDivFactor == 1e5)
        expectClose(schedule.value(at: 0).learningRate, 0.04, absoluteTolerance: 1e-15)
        // Halfway up (t/T = 0.125): cosine midpoint of 0.04 and 1.
        expectClose(schedule.value(at: 25).learningRate, 0.52, absoluteTolerance: 1e-12)
        expectClose(schedule.value(at: 25).momentum, 0.9, absoluteTolerance: 1e-12)
        expectClose(schedule.value(at: 50).learningRate, 1, absoluteTolerance: 1e-15)
        expectClose(schedule.value(at: 50).momentum, 0.85, absoluteTolerance: 1e-15)
        // Halfway down (t/T = 0.625): midpoint of 1 and 1e-5.
        expectClose(schedule.value(at: 125).learningRate, 0.500005, absoluteTolerance: 1e-12)
        // Last iteration: (t/T − 0.25)/0.75 = 149/150 of the way down.
        let last = 1e-5 + (1 - 1e-5) / 2 * (1 + cos(Double.pi * 149 / 150))
        expectClose(schedule.value(at: 199).learningRate, last, absoluteTolerance: 1e-15)
        #expect(schedule.value(at: 500) == schedule.value(at: 199))
    }
}
