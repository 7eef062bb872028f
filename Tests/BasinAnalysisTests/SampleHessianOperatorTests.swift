import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@testable import BasinAnalysis

/// A small MLP on 2×2 inputs with three classes, and eight random images cut into
/// batches of `sizes` (uneven on purpose, so that weighting by batch size matters).
private func problem(seed: UInt64, sizes: [Int]) -> (Model, [HessianBatch], HessianBatch) {
    var generator = SeededGenerator(seed: seed)
    let shape = InputShape(channels: 1, height: 2, width: 2)
    let model = Model(architecture: .mlp, inputShape: shape, classCount: 3, generator: &generator)
    let total = sizes.reduce(0, +)
    let images = (0..<(total * 4)).map { _ in Float(generator.nextGaussian()) }
    let labels = (0..<total).map { _ in Int32(generator.nextIndex(below: 3)) }
    var batches: [HessianBatch] = []
    var start = 0
    for size in sizes {
        batches.append(
            HessianBatch(
                images: Array(images[(start * 4)..<((start + size) * 4)]),
                labels: Array(labels[start..<(start + size)])))
        start += size
    }
    return (model, batches, HessianBatch(images: images, labels: labels))
}

@Suite("The Hessian of a sample held as several batches")
struct SampleHessianOperatorTests {
    @Test("in running mode the product equals the product of the concatenated batch")
    func runningModeEqualsConcatenation() throws {
        let (model, batches, whole) = problem(seed: 1, sizes: [5, 3])
        var hessian = SampleHessianOperator(model: model, batches: batches, mode: .running)
        var generator = SeededGenerator(seed: 2)
        let v = KrylovVectors.gaussian(dimension: hessian.dimension, generator: &generator)
        var product = [Float](repeating: 0, count: hessian.dimension)
        try hessian.apply(v, into: &product)
        var expected: [Float] = []
        model.hessianVectorProduct(
            images: whole.images, labels: whole.labels, mode: .running, direction: v,
            into: &expected)
        expectClose(product, expected, absoluteTolerance: 1e-6, relativeTolerance: 1e-4)
        #expect(Vector.norm(expected) > 1e-3)
    }

    @Test("in batch mode the product is the batch-size-weighted mean of the batches' products")
    func batchModeWeightedMean() throws {
        let (model, batches, _) = problem(seed: 3, sizes: [6, 2])
        var hessian = SampleHessianOperator(model: model, batches: batches, mode: .batch)
        #expect(hessian.batchWeights == [0.75, 0.25])
        var generator = SeededGenerator(seed: 4)
        let v = KrylovVectors.gaussian(dimension: hessian.dimension, generator: &generator)
        var product = [Float](repeating: 0, count: hessian.dimension)
        try hessian.apply(v, into: &product)
        var first: [Float] = []
        var second: [Float] = []
        model.hessianVectorProduct(
            images: batches[0].images, labels: batches[0].labels, mode: .batch, direction: v,
            into: &first)
        model.hessianVectorProduct(
            images: batches[1].images, labels: batches[1].labels, mode: .batch, direction: v,
            into: &second)
        let expected = zip(first, second).map { 0.75 * Double($0) + 0.25 * Double($1) }
        expectClose(
            product.map(Double.init), expected, absoluteTolerance: 1e-6, relativeTolerance: 1e-4)
        // The unweighted mean differs, so the weights are what makes the match.
        let unweighted = zip(first, second).map { 0.5 * Double($0) + 0.5 * Double($1) }
        #expect(
            worstDiscrepancy(
                product.map(Double.init), unweighted, absoluteTolerance: 1e-6,
                relativeTolerance: 1e-4) != nil)
    }

    @Test("the gradient and loss are those of the concatenated batch in running mode")
    func gradientOfSample() {
        let (model, batches, whole) = problem(seed: 5, sizes: [3, 4, 1])
        let sample = SampleHessianOperator(model: model, batches: batches, mode: .running)
            .gradient()
        var expected: [Float] = []
        let result = model.gradient(
            images: whole.images, labels: whole.labels, mode: .running, into: &expected)
        expectClose(sample.gradient, expected, absoluteTolerance: 1e-7, relativeTolerance: 1e-4)
        expectClose(sample.loss, result.loss, absoluteTolerance: 1e-9, relativeTolerance: 1e-6)
        #expect(sample.accuracy == result.accuracy)
    }

    @Test("with BatchNorm, running mode matches the concatenated batch and batch mode does not")
    func batchNormModes() throws {
        var generator = SeededGenerator(seed: 6)
        let shape = InputShape(channels: 1, height: 8, width: 8)
        let model = Model(
            architecture: .cnn, inputShape: shape, classCount: 3, generator: &generator)
        let images = (0..<(6 * 64)).map { _ in Float(generator.nextGaussian()) }
        let labels = (0..<6).map { _ in Int32(generator.nextIndex(below: 3)) }
        let batches = [
            HessianBatch(images: Array(images[0..<(4 * 64)]), labels: Array(labels[0..<4])),
            HessianBatch(images: Array(images[(4 * 64)...]), labels: Array(labels[4...])),
        ]
        let v = KrylovVectors.gaussian(dimension: model.parameterCount, generator: &generator)
        func product(_ mode: BatchNormMode) throws -> [Float] {
            var hessian = SampleHessianOperator(model: model, batches: batches, mode: mode)
            var result = [Float](repeating: 0, count: hessian.dimension)
            try hessian.apply(v, into: &result)
            return result
        }
        func whole(_ mode: BatchNormMode) -> [Float] {
            var result: [Float] = []
            model.hessianVectorProduct(
                images: images, labels: labels, mode: mode, direction: v, into: &result)
            return result
        }
        expectClose(
            try product(.running), whole(.running), absoluteTolerance: 1e-6,
            relativeTolerance: 1e-4)
        // Each batch normalised by its own statistics is a different function from one
        // batch of six: the modes must not be confused.
        let batchMode = try product(.batch)
        #expect(
            worstDiscrepancy(
                batchMode.map(Double.init), whole(.batch).map(Double.init),
                absoluteTolerance: 1e-6, relativeTolerance: 1e-3) != nil)
        var perBatch: [[Float]] = []
        for batch in batches {
            var result: [Float] = []
            model.hessianVectorProduct(
                images: batch.images, labels: batch.labels, mode: .batch, direction: v,
                into: &result)
            perBatch.append(result)
        }
        let weighted = zip(perBatch[0], perBatch[1]).map {
            (4 * Double($0) + 2 * Double($1)) / 6
        }
        expectClose(
            batchMode.map(Double.init), weighted, absoluteTolerance: 1e-6,
            relativeTolerance: 1e-4)
    }

    @Test(
        "kept passes give the products of full passes and follow the model's parameters",
        arguments: BatchNormMode.allCases)
    func keptPasses(mode: BatchNormMode) throws {
        var generator = SeededGenerator(seed: 7)
        let shape = InputShape(channels: 1, height: 8, width: 8)
        let model = Model(
            architecture: .cnn, inputShape: shape, classCount: 3, generator: &generator)
        let sizes = [3, 2, 3]
        let batches = sizes.map { size in
            HessianBatch(
                images: (0..<(size * 64)).map { _ in Float(generator.nextGaussian()) },
                labels: (0..<size).map { _ in Int32(generator.nextIndex(below: 3)) })
        }
        // All passes kept, the first two only, none.
        let twoBatches = model.retainedPassByteEstimate(batch: 5)
        var operators = [Int.max, twoBatches, 0].map {
            SampleHessianOperator(
                model: model, batches: batches, mode: mode, retainedPassByteLimit: $0)
        }
        #expect(operators.map(\.retainedBatchCount) == [3, 2, 0])
        func products(_ v: [Float]) throws -> [[Float]] {
            try operators.indices.map { index in
                var result = [Float](repeating: 0, count: model.parameterCount)
                try operators[index].apply(v, into: &result)
                return result
            }
        }
        for step in 0..<4 {
            if step == 2 {
                // A step of the weights: every kept pass must be recomputed.
                for index in model.parameters.indices { model.parameters[index] *= 0.9 }
            }
            let v = KrylovVectors.gaussian(dimension: model.parameterCount, generator: &generator)
            let results = try products(v)
            #expect(Vector.norm(results[2]) > 1e-3)
            for result in results.prefix(2) {
                expectClose(
                    result, results[2], absoluteTolerance: 1e-6, relativeTolerance: 1e-5,
                    "product \(step)")
            }
        }
    }
}
