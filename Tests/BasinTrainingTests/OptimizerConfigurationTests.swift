import Testing

@testable import BasinTraining

@Suite("Optimizer configuration")
struct OptimizerConfigurationTests {
    @Test("each algorithm name builds the matching optimizer")
    func building() throws {
        let sgd = OptimizerConfiguration(algorithm: try .init(named: "nesterov-caffe"))
            .makeOptimizer(parameterCount: 4)
        let built = try #require(sgd as? SGD)
        #expect(built.convention == .caffe && built.nesterov)
        let adam = OptimizerConfiguration(algorithm: .adamw, weightDecay: 0.01)
            .makeOptimizer(parameterCount: 4)
        #expect((adam as? AdamW)?.weightDecay == 0.01)
        #expect(
            throws: OptimizerError.unknownAlgorithm(
                "adam", known: ["sgd", "nesterov", "sgd-caffe", "nesterov-caffe", "adamw"])
        ) { try OptimizerConfiguration.Algorithm(named: "adam") }
    }

    @Test("exempt ranges apply only when the exemption is switched on")
    func exemption() throws {
        let ranges = [2..<4]
        let off = OptimizerConfiguration(weightDecay: 0.1)
            .makeOptimizer(parameterCount: 6, exemptRanges: ranges)
        #expect(try #require(off as? SGD).weightDecayMask.decayedCount == 6)
        let on = OptimizerConfiguration(weightDecay: 0.1, exemptBiasAndNormalization: true)
            .makeOptimizer(parameterCount: 6, exemptRanges: ranges)
        #expect(try #require(on as? SGD).weightDecayMask.decayedCount == 4)
    }

    @Test("an optimizer held as an existential steps and saves its state")
    func existential() {
        var optimizer = OptimizerConfiguration(algorithm: .sgd).makeOptimizer(parameterCount: 2)
        var theta: [Float] = [1, 2]
        optimizer.step(parameters: &theta, gradient: [1, 1], learningRate: 0.5, momentum: 0.9)
        #expect(theta == [0.5, 1.5])
        #expect(optimizer.stepCount == 1)
        #expect(optimizer.state.vectors["momentum_buffer"] == [1, 1])
    }
}
