import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Model derivatives")
struct ModelDerivativesTests {
    @Test("mlp: gradient, JVP and Hv match the Double reference", arguments: BatchNormMode.allCases)
    func multilayerPerceptron(mode: BatchNormMode) {
        let check = ModelCheck(
            .mlp, inputShape: InputShape(channels: 1, height: 5, width: 5), classCount: 4,
            batch: 3, mode: mode, seed: 11)
        check.checkAll(checksLiveDifferences: true)
    }

    @Test("cnn: gradient, JVP and Hv match the Double reference", arguments: BatchNormMode.allCases)
    func convolutional(mode: BatchNormMode) {
        let check = ModelCheck(
            .cnn, inputShape: InputShape(channels: 2, height: 6, width: 6), classCount: 3,
            batch: 3, mode: mode, seed: 12)
        check.checkAll(checksLiveDifferences: true)
    }

    @Test(
        "resnet20: gradient, JVP and Hv match the Double reference",
        arguments: BatchNormMode.allCases)
    func residual(mode: BatchNormMode) {
        let check = ModelCheck(
            .resnet20, inputShape: InputShape(channels: 1, height: 6, width: 6), classCount: 3,
            batch: 2, mode: mode, seed: 13)
        // A batch of 2 at 6×6 leaves some channels with almost no variance: see
        // `hessianStep`.
        check.checkAll(extraCoordinates: 4, maximumTensors: 10, hessianStep: 1e-6)
    }

    @Test("the finite-difference step is 1e-5·max(‖θ‖, 1)/‖v‖")
    func finiteDifferenceStep() {
        expectClose(
            Model.finiteDifferenceStep(parameterNorm: 10, directionNorm: 2), 5e-5,
            absoluteTolerance: 1e-15)
        expectClose(
            Model.finiteDifferenceStep(parameterNorm: 0.1, directionNorm: 1), 1e-5,
            absoluteTolerance: 1e-15)
    }

    @Test("a zero direction gives a zero finite-difference product")
    func zeroDirection() {
        var generator = SeededGenerator(seed: 1)
        let model = Model(
            architecture: .mlp, inputShape: InputShape(channels: 1, height: 2, width: 2),
            classCount: 2, generator: &generator)
        var product: [Float] = [1]
        let step = model.finiteDifferenceHessianVectorProduct(
            images: [1, 2, 3, 4], labels: [1], mode: .running,
            direction: [Float](repeating: 0, count: model.parameterCount), into: &product)
        #expect(step == 0)
        #expect(product == [Float](repeating: 0, count: model.parameterCount))
    }

    @Test(
        "the same seed gives bit-identical parameters, losses, gradients and products",
        arguments: [Architecture.mlp, .cnn])
    func determinism(architecture: Architecture) {
        func run() -> ([Float], BatchResult, [Float], [Float], [Float]) {
            var generator = SeededGenerator(seed: 42)
            let shape = InputShape(channels: 1, height: 4, width: 4)
            let model = Model(
                architecture: architecture, inputShape: shape, classCount: 3,
                generator: &generator)
            let images = LayerCheck.gaussian(3 * 16, &generator)
            let direction = LayerCheck.gaussian(model.parameterCount, &generator)
            var gradient: [Float] = []
            var product: [Float] = []
            let result = model.gradient(
                images: images, labels: [0, 2, 1], mode: .batch, statisticsUpdate: .exponential,
                into: &gradient)
            model.hessianVectorProduct(
                images: images, labels: [0, 2, 1], mode: .batch, direction: direction,
                into: &product)
            return (model.parameters, result, gradient, product, model.runningStatistics)
        }
        let (first, second) = (run(), run())
        #expect(first.0 == second.0)
        #expect(first.1 == second.1)
        #expect(first.2 == second.2)
        #expect(first.3 == second.3)
        #expect(first.4 == second.4)
    }
}
