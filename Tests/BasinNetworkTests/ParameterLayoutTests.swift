import BasinNetwork
import Testing

@Suite("Parameter layout")
struct ParameterLayoutTests {
    @Test("slices are contiguous, in creation order, under dotted scopes")
    func slices() {
        let layout = LayoutBuilder()
        let first = layout.scoped("layer1") {
            layout.scoped("0") {
                layout.parameter(
                    "weight", shape: [2, 3], role: .weight, initializer: .constant(1))
            }
        }
        let second = layout.parameter(
            "bias", shape: [4], role: .bias, initializer: .constant(0))
        let statistic = layout.statistic("running_mean", count: 4, role: .runningMean)
        let counter = layout.batchCounter("num_batches_tracked")
        #expect(first == 0 && second == 6 && statistic == 0 && counter == 0)
        #expect(layout.parameterSlices.map(\.name) == ["layer1.0.weight", "bias"])
        #expect(layout.parameterSlices.map(\.range) == [0..<6, 6..<10])
        #expect(layout.parameterCount == 10 && layout.statisticCount == 4)
        #expect(
            layout.stateEntries.map(\.name) == [
                "layer1.0.weight", "bias", "running_mean", "num_batches_tracked",
            ])
        #expect(layout.stateEntries.map(\.isInteger) == [false, false, false, true])
    }

    @Test("only plain weights are subject to weight decay")
    func weightDecay() {
        #expect(!ParameterRole.weight.isExemptFromWeightDecay)
        for role in [ParameterRole.bias, .batchNormWeight, .batchNormBias] {
            #expect(role.isExemptFromWeightDecay)
        }
    }
}
