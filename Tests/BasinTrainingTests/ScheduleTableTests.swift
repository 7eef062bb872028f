import Testing

@testable import BasinTraining

@Suite("Schedule CSV")
struct ScheduleTableTests {
    @Test("writes a header and one line per iteration")
    func table() {
        let schedule = StepSchedule(learningRate: 0.1, gamma: 0.5, periodIterations: 2)
        #expect(
            schedule.csvTable(iterationCount: 3)
                == "iteration,lr,momentum\n0,0.1,0.9\n1,0.1,0.9\n2,0.05,0.9\n")
        #expect(schedule.csvTable(iterationCount: 0) == "iteration,lr,momentum\n")
    }
}
