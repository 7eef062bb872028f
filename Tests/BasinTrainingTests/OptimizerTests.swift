import Testing

@testable import BasinTraining

@Suite("Optimizer state")
struct OptimizerTests {
    @Test("a negative step count is refused")
    func negativeStepCount() {
        var adam = AdamW(parameterCount: 1)
        let state = OptimizerState(
            optimizerName: "adamw", stepCount: -3, vectors: ["exp_avg": [0], "exp_avg_sq": [0]])
        #expect(throws: OptimizerError.negativeStepCount(-3)) { try adam.restore(state) }
        #expect(adam.stepCount == 0)
    }

    @Test("error messages name the vector, what was expected and what was found")
    func messages() {
        let error = OptimizerError.wrongCount(vector: "exp_avg", expected: 10, found: 4)
        #expect(
            error.description
                == "optimizer state: vector 'exp_avg' should have 10 values (one per parameter), "
                + "found 4")
        #expect(
            OptimizerError.wrongOptimizer(expected: "sgd", found: "adamw").description
                == "optimizer state: expected the state of 'sgd', found 'adamw'")
    }

    @Test("a failed restore leaves the optimizer as it was")
    func failedRestoreKeepsState() throws {
        var sgd = SGD(parameterCount: 2)
        var theta: [Float] = [1, 1]
        sgd.step(parameters: &theta, gradient: [1, 2], learningRate: 0.1, momentum: 0.9)
        let before = sgd.state
        let broken = OptimizerState(
            optimizerName: "sgd", stepCount: 9, vectors: ["momentum_buffer": [1, 2, 3]])
        #expect(throws: OptimizerError.self) { try sgd.restore(broken) }
        #expect(sgd.state == before)
    }
}
