import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinNetwork

/// A seeded model with a batch of `batch` images and labels and three directions.
private struct RetainedPassProblem {
    var model: Model
    var images: [Float]
    var labels: [Int32]
    var directions: [[Float]]

    init(_ architecture: Architecture, batch: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let shape = InputShape(channels: 2, height: 6, width: 6)
        model = Model(
            architecture: architecture, inputShape: shape, classCount: 3, generator: &generator)
        images = LayerCheck.gaussian(batch * shape.elementCount, &generator)
        labels = (0..<batch).map { _ in Int32(generator.nextIndex(below: 3)) }
        let count = model.parameterCount
        directions = (0..<3).map { _ in LayerCheck.gaussian(count, &generator) }
        // Running statistics away from 0 and 1, so that running mode is not trivial.
        for index in model.runningStatistics.indices {
            model.runningStatistics[index] = 0.5 + Float(generator.nextUnitDouble())
        }
    }

    /// H·v by the full pass on an independent copy of the model.
    func fullProduct(_ direction: [Float], mode: BatchNormMode, images: [Float]? = nil)
        -> [Float]
    {
        var product: [Float] = []
        model.copy().hessianVectorProduct(
            images: images ?? self.images, labels: labels, mode: mode, direction: direction,
            into: &product)
        return product
    }

    func reusedProduct(_ direction: [Float], mode: BatchNormMode, images: [Float]? = nil)
        -> [Float]
    {
        var product: [Float] = []
        model.hessianVectorProduct(
            images: images ?? self.images, labels: labels, mode: mode, direction: direction,
            into: &product, reusingPass: true)
        return product
    }
}

/// Float rounding of products summed over a batch: the reused and full passes do the same
/// arithmetic, so they agree far more closely than this.
private let absoluteTolerance = 1e-6
private let relativeTolerance = 1e-5

@Suite("Hessian-vector products that reuse a retained pass")
struct ModelRetainedPassTests {
    @Test(
        "reused products equal full products for every direction",
        arguments: [Architecture.mlp, .cnn, .resnet20], BatchNormMode.allCases)
    func reusedEqualsFull(architecture: Architecture, mode: BatchNormMode) {
        let problem = RetainedPassProblem(architecture, batch: 4, seed: 21)
        #expect(
            !problem.model.holdsPass(images: problem.images, labels: problem.labels, mode: mode))
        for (index, direction) in problem.directions.enumerated() {
            let reused = problem.reusedProduct(direction, mode: mode)
            #expect(
                problem.model.holdsPass(images: problem.images, labels: problem.labels, mode: mode))
            let full = problem.fullProduct(direction, mode: mode)
            expectClose(
                reused, full, absoluteTolerance: absoluteTolerance,
                relativeTolerance: relativeTolerance, "direction \(index)")
            #expect(Vector.norm(full) > 1e-3)
        }
    }

    @Test("changed parameters make the next product run the full pass")
    func parameterChange() {
        let problem = RetainedPassProblem(.cnn, batch: 3, seed: 22)
        _ = problem.reusedProduct(problem.directions[0], mode: .batch)
        problem.model.parameters[5] += 0.25
        #expect(
            !problem.model.holdsPass(images: problem.images, labels: problem.labels, mode: .batch))
        let reused = problem.reusedProduct(problem.directions[1], mode: .batch)
        let full = problem.fullProduct(problem.directions[1], mode: .batch)
        expectClose(
            reused, full, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance
        )
    }

    @Test("changed running statistics make the next running-mode product run the full pass")
    func statisticsChange() {
        let problem = RetainedPassProblem(.cnn, batch: 3, seed: 23)
        _ = problem.reusedProduct(problem.directions[0], mode: .running)
        problem.model.runningStatistics[1] *= 2
        #expect(
            !problem.model.holdsPass(images: problem.images, labels: problem.labels, mode: .running)
        )
        let reused = problem.reusedProduct(problem.directions[1], mode: .running)
        let full = problem.fullProduct(problem.directions[1], mode: .running)
        expectClose(
            reused, full, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance
        )
    }

    @Test("another batch, another BatchNorm mode or another pass is not mistaken for the kept one")
    func otherInputs() {
        let problem = RetainedPassProblem(.cnn, batch: 3, seed: 24)
        let v = problem.directions[2]
        _ = problem.reusedProduct(v, mode: .batch)

        // The other mode.
        expectClose(
            problem.reusedProduct(v, mode: .running), problem.fullProduct(v, mode: .running),
            absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)

        // Other images of the same size.
        let shifted = problem.images.map { $0 + 0.5 }
        #expect(!problem.model.holdsPass(images: shifted, labels: problem.labels, mode: .running))
        expectClose(
            problem.reusedProduct(v, mode: .running, images: shifted),
            problem.fullProduct(v, mode: .running, images: shifted),
            absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)

        // A gradient pass on other data overwrites the layers' buffers.
        var gradient: [Float] = []
        problem.model.gradient(
            images: problem.images, labels: problem.labels, mode: .batch, into: &gradient)
        #expect(!problem.model.holdsPass(images: shifted, labels: problem.labels, mode: .running))
        expectClose(
            problem.reusedProduct(v, mode: .running, images: shifted),
            problem.fullProduct(v, mode: .running, images: shifted),
            absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)
    }

    @Test("only layers above a parameterised layer compute their input gradient")
    func firstLayerInputGradient() {
        // mlp: flatten, fc1 …: fc1 has no layer with parameters below it.
        var generator = SeededGenerator(seed: 25)
        let shape = InputShape(channels: 1, height: 3, width: 3)
        let model = Model(
            architecture: .mlp, inputShape: shape, classCount: 2, generator: &generator)
        #expect(model.inputGradientNeeded == [false, false, true, true, true, true])
    }

    @Test("the memory estimate counts the buffers of each layer, linear in the batch")
    func memoryEstimate() {
        var generator = SeededGenerator(seed: 26)
        let shape = InputShape(channels: 1, height: 3, width: 3)
        let model = Model(
            architecture: .mlp, inputShape: shape, classCount: 2, generator: &generator)
        // fc1 9 → 512: 2·(9 + 512); each ReLU 5·512; fc2 2·(512 + 512); fc3 2·(512 + 2).
        let floats = 2 * (9 + 512) + 5 * 512 + 2 * 1024 + 5 * 512 + 2 * (512 + 2)
        #expect(model.retainedPassByteEstimate(batch: 1) == 4 * floats)
        #expect(model.retainedPassByteEstimate(batch: 7) == 28 * floats)
    }
}
