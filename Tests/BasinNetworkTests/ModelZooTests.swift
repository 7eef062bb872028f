import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Model zoo")
struct ModelZooTests {
    static let mnist = InputShape(channels: 1, height: 28, width: 28)
    static let cifar = InputShape(channels: 3, height: 32, width: 32)

    func model(_ architecture: Architecture, _ shape: InputShape, classes: Int = 10) -> Model {
        var generator = SeededGenerator(seed: 1)
        return Model(
            architecture: architecture, inputShape: shape, classCount: classes,
            generator: &generator)
    }

    /// (name, shape) of every state-dict entry.
    func entries(_ model: Model) -> [String] {
        model.stateDictLayout.map { "\($0.name) \($0.shape)" }
    }

    @Test("mlp has 669,706 parameters on 1×28×28 with 10 classes, named like PyTorch")
    func multilayerPerceptron() {
        // 784·512 + 512 + 512·512 + 512 + 512·10 + 10 = 669,706.
        let model = model(.mlp, Self.mnist)
        #expect(model.parameterCount == 669_706)
        #expect(
            entries(model) == [
                "fc1.weight [512, 784]", "fc1.bias [512]", "fc2.weight [512, 512]",
                "fc2.bias [512]", "fc3.weight [10, 512]", "fc3.bias [10]",
            ])
        #expect(model.runningStatistics.isEmpty && model.batchesTracked.isEmpty)
        // 3·32·32 inputs: 3072·512 + 512 + 262,656 + 5,130.
        #expect(self.model(.mlp, Self.cifar).parameterCount == 3072 * 512 + 512 + 262_656 + 5_130)
    }

    @Test("cnn has 94,186 parameters on 1×28×28 with 10 classes, named like PyTorch")
    func convolutional() {
        // 1·32·9 + 64 + 32·64·9 + 128 + 64·128·9 + 256 + 128·10 + 10 = 94,186.
        let model = model(.cnn, Self.mnist)
        #expect(model.parameterCount == 94_186)
        var expected: [String] = []
        for (index, (inputs, width)) in [(1, 32), (32, 64), (64, 128)].enumerated() {
            let bn = "bn\(index + 1)"
            expected += [
                "conv\(index + 1).weight [\(width), \(inputs), 3, 3]", "\(bn).weight [\(width)]",
                "\(bn).bias [\(width)]", "\(bn).running_mean [\(width)]",
                "\(bn).running_var [\(width)]", "\(bn).num_batches_tracked []",
            ]
        }
        expected += ["fc.weight [10, 128]", "fc.bias [10]"]
        #expect(entries(model) == expected)
        // Three input channels add 2·32·9 weights; 100 classes add 90·129.
        #expect(self.model(.cnn, Self.cifar).parameterCount == 94_186 + 2 * 32 * 9)
        #expect(
            self.model(.cnn, Self.cifar, classes: 100).parameterCount
                == 94_186 + 2 * 32 * 9 + 90 * 129)
    }

    @Test("roles mark BatchNorm parameters and biases for weight-decay exemption")
    func roles() {
        let model = model(.cnn, Self.mnist)
        let exempt = model.parameterLayout.filter(\.role.isExemptFromWeightDecay).map(\.name)
        #expect(
            exempt == [
                "bn1.weight", "bn1.bias", "bn2.weight", "bn2.bias", "bn3.weight",
                "bn3.bias", "fc.bias",
            ])
        #expect(
            model.runningStatisticsLayout.map(\.name) == [
                "bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var",
                "bn3.running_mean", "bn3.running_var",
            ])
        #expect(
            model.batchesTrackedNames == [
                "bn1.num_batches_tracked", "bn2.num_batches_tracked", "bn3.num_batches_tracked",
            ])
    }

    @Test("initialisation: linear layers uniform in ±1/√fan_in, BatchNorm γ = 1, β = 0")
    func initialization() {
        let model = model(.cnn, Self.mnist)
        let fc = model.parameterSlice(named: "fc.weight")!
        let bound = Float(1 / (128.0).squareRoot())
        let weights = model.parameters[fc.range]
        #expect(weights.allSatisfy { abs($0) <= bound })
        #expect(weights.map(abs).max()! > 0.9 * bound)
        let gamma = model.parameterSlice(named: "bn2.weight")!
        let beta = model.parameterSlice(named: "bn2.bias")!
        #expect(model.parameters[gamma.range].allSatisfy { $0 == 1 })
        #expect(model.parameters[beta.range].allSatisfy { $0 == 0 })
        let variance = model.runningStatisticsLayout.first { $0.name == "bn3.running_var" }!
        #expect(model.runningStatistics[variance.range].allSatisfy { $0 == 1 })
    }

    @Test(
        "resnets have the parameter counts of their blocks",
        arguments: [
            // resnet20 on 1×28×28, 10 classes: 272,186 (stem 144 + 32, layer1 3·4,672,
            // layer2 14,528 + 2·18,560, layer3 57,728 + 2·73,984, fc 650). Each further
            // block per stage adds 4,672 + 18,560 + 73,984 = 97,216.
            (Architecture.resnet20, 272_186), (.resnet32, 466_618), (.resnet44, 661_050),
            (.resnet56, 855_482),
        ])
    func residualCounts(architecture: Architecture, count: Int) {
        #expect(model(architecture, Self.mnist).parameterCount == count)
        // Three input channels add 2·16·9 = 288 stem weights.
        #expect(model(architecture, Self.cifar).parameterCount == count + 288)
    }

    @Test("resnet20 state dict names, shapes and order follow PyTorch")
    func residualNames() {
        let model = model(.resnet20, Self.mnist)
        let names = entries(model)
        // Stem conv + BatchNorm (1 + 5), nine blocks of two conv + BatchNorm pairs (12 each),
        // two projection shortcuts (6 each), fc (2).
        #expect(names.count == 6 + 9 * 12 + 2 * 6 + 2)
        #expect(
            Array(names.prefix(7)) == [
                "conv1.weight [16, 1, 3, 3]", "bn1.weight [16]", "bn1.bias [16]",
                "bn1.running_mean [16]", "bn1.running_var [16]", "bn1.num_batches_tracked []",
                "layer1.0.conv1.weight [16, 16, 3, 3]",
            ])
        let layer2 = names.filter { $0.hasPrefix("layer2.0.") }
        #expect(
            layer2 == [
                "layer2.0.conv1.weight [32, 16, 3, 3]", "layer2.0.bn1.weight [32]",
                "layer2.0.bn1.bias [32]", "layer2.0.bn1.running_mean [32]",
                "layer2.0.bn1.running_var [32]", "layer2.0.bn1.num_batches_tracked []",
                "layer2.0.conv2.weight [32, 32, 3, 3]", "layer2.0.bn2.weight [32]",
                "layer2.0.bn2.bias [32]", "layer2.0.bn2.running_mean [32]",
                "layer2.0.bn2.running_var [32]", "layer2.0.bn2.num_batches_tracked []",
                "layer2.0.shortcut.0.weight [32, 16, 1, 1]", "layer2.0.shortcut.1.weight [32]",
                "layer2.0.shortcut.1.bias [32]", "layer2.0.shortcut.1.running_mean [32]",
                "layer2.0.shortcut.1.running_var [32]",
                "layer2.0.shortcut.1.num_batches_tracked []",
            ])
        #expect(
            !names.contains {
                $0.hasPrefix("layer1.0.shortcut") || $0.hasPrefix("layer2.1.shortcut")
            })
        #expect(Array(names.suffix(2)) == ["fc.weight [10, 64]", "fc.bias [10]"])
        #expect(model.parameterSlice(named: "layer3.2.bn2.bias")!.role == .batchNormBias)
    }
}
