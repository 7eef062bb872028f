import BasinTraining
import Testing

@testable import BasinAnalysis

@Suite("Sweep budget and schedule overrides")
struct SweepBudgetTests {
    @Test("budgets parse in epochs, iterations and seconds and print back")
    func parsing() throws {
        #expect(try SweepBudget(parsing: "3ep") == .epochs(3))
        #expect(try SweepBudget(parsing: "500") == .iterations(500))
        #expect(try SweepBudget(parsing: "60s") == .seconds(60))
        for text in ["3ep", "0.5ep", "500", "60s", "2.5s"] {
            #expect(try SweepBudget(parsing: text).description == text)
        }
        // 3 epochs of ⌊N/B⌋ = 78 steps: 234 steps; half an epoch of 77: 38.5 → 39 (rounded).
        #expect(SweepBudget.epochs(3).iterationCount(iterationsPerEpoch: 78) == 234)
        #expect(SweepBudget.epochs(0.5).iterationCount(iterationsPerEpoch: 77) == 39)
        #expect(SweepBudget.seconds(60).iterationCount(iterationsPerEpoch: 78) == nil)
    }

    @Test("bad budgets name the flag and what was found", arguments: ["", "0", "-3ep", "ep", "5m"])
    func badBudgets(text: String) {
        #expect {
            _ = try SweepBudget(parsing: text)
        } throws: { error in
            "\(error)".contains("--budget") && "\(error)".contains("'\(text)'")
        }
    }

    @Test("max_lr replaces the maximum rate of each kind, momentum the momentum")
    func overrides() throws {
        let oneCycle = try Schedule(parsing: "onecycle:max=0.1,total=100")
        let changed = try oneCycle.overriding(maximumLearningRate: 0.3, momentum: 0.9)
        guard case .oneCycle(let schedule) = changed else {
            Issue.record("not a one-cycle schedule: \(changed.specification)")
            return
        }
        #expect(schedule.maximumLearningRate == 0.3)
        #expect(schedule.momentumAtBase == 0.9 && schedule.momentumAtPeak == 0.9)
        #expect(schedule.totalIterationCount == 100)

        let constant = try Schedule(parsing: "constant:lr=0.01")
        #expect(
            try constant.overriding(maximumLearningRate: 0.05, momentum: nil).value(at: 7)
                .learningRate == 0.05)
        let ramp = try Schedule(parsing: "linear-ramp:start=0,end=1,length=10")
        let longer = try ramp.overriding(maximumLearningRate: 2, momentum: nil)
        #expect(longer.specification.contains("end=2,"))
        #expect(try ramp.overriding(maximumLearningRate: nil, momentum: nil) == ramp)
    }

    @Test("an override that breaks the schedule is an error naming the schedule")
    func invalidOverride() throws {
        let clr = try Schedule(parsing: "clr:base=0.01,max=0.1,step=10")
        #expect {
            _ = try clr.overriding(maximumLearningRate: nil, momentum: 1.5)
        } throws: { error in
            "\(error)".contains("invalid schedule") && "\(error)".contains("clr:")
        }
    }
}
