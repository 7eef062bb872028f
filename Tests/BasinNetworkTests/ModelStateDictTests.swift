import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@Suite("State dict")
struct ModelStateDictTests {
    static let shape = InputShape(channels: 1, height: 6, width: 6)

    func model(seed: UInt64) -> Model {
        var generator = SeededGenerator(seed: seed)
        let model = Model(
            architecture: .cnn, inputShape: Self.shape, classCount: 3, generator: &generator)
        let images = LayerCheck.gaussian(4 * 36, &generator)
        model.evaluate(
            images: images, labels: [0, 1, 2, 0], mode: .batch, statisticsUpdate: .exponential)
        return model
    }

    @Test("a state dict round-trips into another model exactly")
    func roundTrip() throws {
        let source = model(seed: 1)
        let target = model(seed: 2)
        #expect(target.parameters != source.parameters)
        try target.loadStateDict(source.stateDict())
        #expect(target.parameters == source.parameters)
        #expect(target.runningStatistics == source.runningStatistics)
        #expect(target.batchesTracked == source.batchesTracked)
        #expect(target.stateDict() == source.stateDict())
    }

    @Test("order does not matter and num_batches_tracked may be [1]")
    func reordered() throws {
        let source = model(seed: 1)
        var tensors = source.stateDict().reversed().map { $0 }
        let index = tensors.firstIndex { $0.name == "bn2.num_batches_tracked" }!
        tensors[index] = NamedTensor(
            name: "bn2.num_batches_tracked", shape: [1], values: .int64([7]))
        let target = model(seed: 2)
        try target.loadStateDict(tensors)
        #expect(target.parameters == source.parameters)
        #expect(target.batchesTracked == [1, 7, 1])
    }

    func expectError(
        _ expected: ModelStateError, _ edit: (inout [NamedTensor]) -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let target = model(seed: 2)
        let before = target.stateDict()
        var tensors = model(seed: 1).stateDict()
        edit(&tensors)
        #expect(throws: expected, sourceLocation: sourceLocation) {
            try target.loadStateDict(tensors)
        }
        #expect(
            target.stateDict() == before, "a failed load changed the model",
            sourceLocation: sourceLocation)
    }

    @Test("missing, unexpected, misshapen and mistyped tensors are named in the error")
    func errors() {
        expectError(.missingTensor(name: "bn2.running_var", expectedShape: [64])) {
            $0.removeAll { $0.name == "bn2.running_var" }
        }
        expectError(.unexpectedTensor(name: "fc2.weight", shape: [2])) {
            $0.append(NamedTensor(name: "fc2.weight", shape: [2], values: .float32([1, 2])))
        }
        expectError(.shapeMismatch(name: "fc.weight", expected: [3, 128], found: [128, 3])) {
            let index = $0.firstIndex { $0.name == "fc.weight" }!
            $0[index].shape = [128, 3]
        }
        expectError(
            .elementTypeMismatch(
                name: "bn1.num_batches_tracked", expected: "int64", found: "float32")
        ) {
            let index = $0.firstIndex { $0.name == "bn1.num_batches_tracked" }!
            $0[index] = NamedTensor(
                name: "bn1.num_batches_tracked", shape: [], values: .float32([1]))
        }
        expectError(.duplicateTensor(name: "fc.bias")) {
            $0.append($0.first { $0.name == "fc.bias" }!)
        }
    }

    @Test("error messages name the tensor, the expectation and the finding")
    func messages() {
        let error = ModelStateError.shapeMismatch(
            name: "fc.weight", expected: [10, 64], found: [10, 128])
        #expect(error.description == "tensor fc.weight: expected shape [10, 64], found [10, 128]")
    }
}
