import BasinTestSupport
import Testing

@testable import BasinTraining

/// Expects `schedule` to give `expected` at iterations 0, 1, 2, … within a relative
/// tolerance (learning rates and momenta are compared separately).
func expectSchedule(
    _ schedule: some LearningRateSchedule,
    matches expected: [(learningRate: Double, momentum: Double)],
    relativeTolerance: Double = 1e-6, _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let actual = schedule.values(count: expected.count)
    expectClose(
        actual.map(\.learningRate), expected.map(\.learningRate), absoluteTolerance: 1e-15,
        relativeTolerance: relativeTolerance, "learning rate \(comment)",
        sourceLocation: sourceLocation)
    expectClose(
        actual.map(\.momentum), expected.map(\.momentum), absoluteTolerance: 1e-15,
        relativeTolerance: relativeTolerance, "momentum \(comment)",
        sourceLocation: sourceLocation)
}

@Suite("The schedule enumeration")
struct ScheduleTests {
    @Test("each case forwards values and metadata to the schedule it holds")
    func forwarding() {
        let cyclical = CyclicalSchedule(
            baseLearningRate: 0.01, maximumLearningRate: 0.1, stepUpIterations: 5)
        let schedule = Schedule.cyclical(cyclical)
        for iteration in [0, 3, 5, 17] {
            #expect(schedule.value(at: iteration) == cyclical.value(at: iteration))
        }
        #expect(schedule.cycleLengthIterations == 10)
        #expect(schedule.totalIterations == nil)
        #expect(schedule.cycleEndIterations(upTo: 35) == [10, 20, 30])
        #expect(schedule.specification == cyclical.specification)
    }

    @Test("values(count:) lists iterations from 0")
    func valuesList() {
        let schedule = StepSchedule(learningRate: 1, gamma: 0.5, periodIterations: 2)
        #expect(schedule.values(count: 5).map(\.learningRate) == [1, 1, 0.5, 0.5, 0.25])
        #expect(schedule.values(count: 0).isEmpty)
    }

    @Test("cycle ends of finite one-cycle schedules are the end of training, once reached")
    func oneCycleEnds() {
        let schedule = Schedule.oneCycle(
            OneCycleSchedule(maximumLearningRate: 0.1, totalIterations: 100))
        #expect(schedule.cycleEndIterations(upTo: 99) == [])
        #expect(schedule.cycleEndIterations(upTo: 100) == [100])
        #expect(schedule.cycleEndIterations(upTo: 1000) == [100])
        let constant = Schedule.constant(ConstantSchedule(learningRate: 0.1))
        #expect(constant.cycleEndIterations(upTo: 1000) == [])
        #expect(constant.cycleLengthIterations == nil)
    }

    @Test("numbers are written in their shortest form")
    func numberFormat() {
        #expect(formatNumber(2000) == "2000")
        #expect(formatNumber(0.1) == "0.1")
        #expect(formatNumber(1e-5) == "1e-05")
        #expect(formatMomentum(start: 0.9, end: 0.9) == "0.9")
        #expect(formatMomentum(start: 0.95, end: 0.85) == "0.95-0.85")
    }
}
