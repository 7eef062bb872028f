import BasinTestSupport
import Testing

@testable import BasinTraining

@Suite("LR range-test ramps")
struct RangeTestRampTests {
    @Test("linear ramp from 0 reaches end at iteration K and holds it")
    func linear() {
        let ramp = RangeTestRamp(shape: .linear, endLearningRate: 3, rampIterations: 100)
        #expect(ramp.startLearningRate == 0)
        expectClose(ramp.value(at: 0).learningRate, 0, absoluteTolerance: 0)
        expectClose(ramp.value(at: 50).learningRate, 1.5, absoluteTolerance: 1e-15)
        expectClose(ramp.value(at: 100).learningRate, 3, absoluteTolerance: 1e-15)
        expectClose(ramp.value(at: 150).learningRate, 3, absoluteTolerance: 1e-15)
        #expect(ramp.totalIterations == 101)
    }

    @Test("exponential ramp is geometric: halfway is the geometric mean")
    func exponential() {
        let ramp = RangeTestRamp(shape: .exponential, endLearningRate: 10)
        #expect(ramp.startLearningRate == 1e-7)
        expectClose(
            ramp.value(at: 0).learningRate, 1e-7, absoluteTolerance: 0, relativeTolerance: 1e-12)
        expectClose(
            ramp.value(at: 50).learningRate, 1e-3, absoluteTolerance: 0, relativeTolerance: 1e-12)
        expectClose(
            ramp.value(at: 100).learningRate, 10, absoluteTolerance: 0, relativeTolerance: 1e-12)
        // Consecutive ratios are all (end/start)^(1/K) = 10^(8/100).
        let ratio = ramp.value(at: 37).learningRate / ramp.value(at: 36).learningRate
        expectClose(ratio, 1.202264434617413, absoluteTolerance: 1e-12)
    }
}
