import BasinKernels
import Foundation
import Testing

@testable import BasinTraining

@Suite("Training configuration")
struct TrainingConfigurationTests {
    @Test("the default divergence bound is twenty times the loss of chance")
    func defaultBound() {
        let guardRule = DivergenceGuard()
        #expect(abs(guardRule.bound(classCount: 10) - 20 * log(10.0)) < 1e-12)
        #expect(guardRule.hasDiverged(loss: .nan, classCount: 10))
        #expect(guardRule.hasDiverged(loss: .infinity, classCount: 10))
        #expect(guardRule.hasDiverged(loss: 50, classCount: 10))
        #expect(!guardRule.hasDiverged(loss: 40, classCount: 10))
        #expect(DivergenceGuard(lossBound: 3).hasDiverged(loss: 3.5, classCount: 10))
    }

    @Test("the run's random streams differ from one another and follow the seed")
    func seeds() {
        var model = TrainingSeeds.model(seed: 1)
        var batcher = TrainingSeeds.batcher(seed: 1)
        var validation = TrainingSeeds.validationSplit(seed: 1)
        let draws = [model.next(), batcher.next(), validation.next()]
        #expect(Set(draws).count == 3)
        var again = TrainingSeeds.batcher(seed: 1)
        #expect(again.next() == draws[1])
    }
}
