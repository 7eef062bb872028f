import BasinTestSupport
import Testing

@testable import BasinTraining

@Suite("Constant, step and multistep schedules")
struct StepDecaySchedulesTests {
    @Test("constant holds its rate and momentum at every iteration")
    func constant() {
        let schedule = ConstantSchedule(learningRate: 0.05, momentum: 0.8)
        for iteration in [0, 1, 1_000_000] {
            #expect(schedule.value(at: iteration) == (0.05, 0.8))
        }
    }

    @Test("step multiplies by gamma at every multiple of the period")
    func step() {
        let schedule = StepSchedule(learningRate: 0.1, gamma: 0.5, periodIterations: 3)
        let rates = schedule.values(count: 10).map(\.learningRate)
        expectClose(
            rates, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125],
            absoluteTolerance: 1e-15)
    }

    @Test("multistep changes the rate at each milestone itself, as PyTorch MultiStepLR")
    func multistep() {
        let schedule = MultiStepSchedule(
            learningRate: 1, gamma: 0.1, milestoneIterations: [2, 5])
        let rates = schedule.values(count: 7).map(\.learningRate)
        expectClose(rates, [1, 1, 0.1, 0.1, 0.1, 0.01, 0.01], absoluteTolerance: 1e-15)
        #expect(schedule.cycleEndIterations(upTo: 100) == [])
    }
}
