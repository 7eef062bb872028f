import BasinKernels
import BasinNetwork
import BasinTestSupport
import Foundation
import Testing

@testable import BasinAnalysis

/// Two small mlps on 1×4×4 inputs and fixed random batches, shared by the tests.
struct InterpolationFixture {
    let start: Model
    let end: Model
    let test: EvaluationSet
    let train: EvaluationSet

    init(seed: UInt64 = 7, architecture: Architecture = .mlp, shape: InputShape? = nil) {
        let inputShape = shape ?? InputShape(channels: 1, height: 4, width: 4)
        var generator = SeededGenerator(seed: seed)
        start = Model(
            architecture: architecture, inputShape: inputShape, classCount: 3, generator: &generator
        )
        end = Model(
            architecture: architecture, inputShape: inputShape, classCount: 3, generator: &generator
        )
        func batches(_ name: String, count: Int) -> EvaluationSet {
            EvaluationSet(
                name: name,
                batches: (0..<count).map { _ in
                    EvaluationSet.Batch(
                        images: (0..<(8 * inputShape.elementCount)).map { _ in
                            Float(generator.nextGaussian())
                        },
                        labels: (0..<8).map { _ in Int32(generator.nextIndex(below: 3)) })
                })
        }
        test = batches("test", count: 2)
        train = batches("train", count: 2)
    }
}

@Suite("Interpolation between two checkpoints")
struct InterpolationTests {
    @Test("the loss along the line equals the Double reference of the interpolated weights")
    func matchesReference() throws {
        let fixture = InterpolationFixture()
        let interpolator = try Interpolator(
            start: fixture.start, end: fixture.end, evaluationSets: [fixture.test],
            statisticsImages: fixture.train)
        let curve = interpolator.curves(
            mode: .batch, grid: AlphaGrid(start: -0.5, end: 1.5, count: 9), refine: false)[0]
        let thetaA = fixture.start.parameters.map(Double.init)
        let thetaB = fixture.end.parameters.map(Double.init)
        for point in curve.points {
            let theta = zip(thetaA, thetaB).map { (1 - point.alpha) * $0 + point.alpha * $1 }
            var lossSum = 0.0
            for batch in fixture.test.batches {
                lossSum += fixture.start.referenceLoss(
                    images: batch.images.map(Double.init), labels: batch.labels, mode: .running,
                    parameters: theta)
            }
            // Float weights and activations against a Double reference: about 1e-5 relative.
            expectClose(
                point.loss, lossSum / 2, absoluteTolerance: 1e-5, relativeTolerance: 1e-4,
                "at alpha \(point.alpha)")
        }
    }

    @Test("alpha 0 and 1 reproduce the end models' own evaluation exactly")
    func endsExact() throws {
        let fixture = InterpolationFixture()
        let interpolator = try Interpolator(
            start: fixture.start, end: fixture.end, evaluationSets: [fixture.test, fixture.train],
            statisticsImages: fixture.train)
        for mode in InterpolationBatchNormMode.allCases {
            let atStart = interpolator.evaluate(alpha: 0, mode: mode).results
            let atEnd = interpolator.evaluate(alpha: 1, mode: mode).results
            let evaluationMode: BatchNormMode = mode == .batch ? .batch : .running
            #expect(atStart[0] == fixture.start.evaluate(fixture.test, mode: evaluationMode))
            #expect(atEnd[1] == fixture.end.evaluate(fixture.train, mode: evaluationMode))
        }
    }

    @Test("curves carry barriers and refinement adds points near the interior peak")
    func curvesAndRefinement() throws {
        let fixture = InterpolationFixture()
        let interpolator = try Interpolator(
            start: fixture.start, end: fixture.end, evaluationSets: [fixture.test],
            statisticsImages: fixture.train)
        let coarse = interpolator.curves(mode: .interp, grid: .standard, refine: false)[0]
        let refined = interpolator.curves(mode: .interp, grid: .standard, refine: true)[0]
        #expect(coarse.points.count == 41)
        #expect(refined.points.count > 41)
        #expect(refined.lossBarrier.maximum.height >= coarse.lossBarrier.maximum.height)
        #expect(refined.points.map(\.alpha) == refined.points.map(\.alpha).sorted())
    }

    @Test("two different architectures are refused with an error naming both")
    func mismatchedModels() {
        let mlp = InterpolationFixture()
        var generator = SeededGenerator(seed: 1)
        let other = Model(
            architecture: .mlp, inputShape: InputShape(channels: 1, height: 4, width: 4),
            classCount: 5, generator: &generator)
        #expect(throws: AnalysisError.self) {
            try Interpolator(
                start: mlp.start, end: other, evaluationSets: [mlp.test],
                statisticsImages: mlp.train, startName: "a.safetensors", endName: "b.safetensors")
        }
        do {
            _ = try Interpolator(
                start: mlp.start, end: other, evaluationSets: [mlp.test],
                statisticsImages: mlp.train, startName: "a.safetensors", endName: "b.safetensors")
        } catch {
            #expect(error.description.contains("a.safetensors"))
            #expect(error.description.contains("b.safetensors"))
        }
    }
}

@Suite("Barrier matrix")
struct BarrierMatrixTests {
    @Test("a model's disagreement with itself is zero and the one-member ensemble is the model")
    func selfComparison() throws {
        let fixture = InterpolationFixture()
        let matrix = try BarrierMatrix(
            models: [fixture.start, fixture.start.copy(), fixture.end], names: ["a", "a2", "b"],
            test: fixture.test, statisticsImages: fixture.train, mode: .batch)
        let same = matrix.pairs.first { $0.first == 0 && $0.second == 1 }!
        #expect(same.disagreement == 0)
        #expect(same.distance.distance == 0)
        expectClose(same.lossBarrier.maximum.height, 0, absoluteTolerance: 1e-6)
        #expect(matrix.pairs.count == 3)
        expectClose(
            matrix.ensembles[0].loss, matrix.individual[0].loss, absoluteTolerance: 1e-5,
            relativeTolerance: 1e-5)
        #expect(matrix.ensembles[0].error == matrix.individual[0].error)
        let grid = matrix.matrix(\.disagreement)
        #expect(grid[0][1] == 0 && grid[1][0] == 0 && grid[0][0].isNaN)
    }

    @Test("fewer than two checkpoints are refused")
    func tooFew() {
        let fixture = InterpolationFixture()
        #expect(throws: AnalysisError.self) {
            try BarrierMatrix(
                models: [fixture.start], names: ["a"], test: fixture.test,
                statisticsImages: fixture.train)
        }
    }
}

@Suite("Interpolator engine details")
struct InterpolatorEngineTests {
    @Test("points evaluated on several model copies at once equal the one-at-a-time results")
    func concurrentPoints() throws {
        let fixture = InterpolationFixture()
        let alphas = [-0.5, -0.1, 0, 0.3, 0.5, 1, 1.2]
        let sequential = try Interpolator(
            start: fixture.start, end: fixture.end, evaluationSets: [fixture.test, fixture.train],
            statisticsImages: fixture.train)
        let concurrent = try Interpolator(
            start: fixture.start, end: fixture.end, evaluationSets: [fixture.test, fixture.train],
            statisticsImages: fixture.train, concurrentPointCount: 3)
        var reported: [Int] = []
        let together = concurrent.evaluate(alphas: alphas, mode: .interp) { reported.append($0) }
        #expect(together == alphas.map { sequential.evaluate(alpha: $0, mode: .interp) })
        #expect(reported == [3, 6, 7])
    }

    @Test("the in-place blend is (1 − α)a + αb rounded once, and exact at the ends")
    func blend() {
        let a: [Float] = [1, -2, 0.1, 3e-8]
        let b: [Float] = [3, 2, 0.7, -1]
        var result = [Float](repeating: .nan, count: 4)
        Interpolator.blend(a, b, alpha: 0.25, into: &result)
        let expected = zip(a, b).map { Float(0.75 * Double($0) + 0.25 * Double($1)) }
        #expect(result == expected)
        Interpolator.blend(a, b, alpha: 0, into: &result)
        #expect(result == a)
        Interpolator.blend(a, b, alpha: 1, into: &result)
        #expect(result == b)
        // Extrapolation: α = −0.5 gives 1.5a − 0.5b.
        Interpolator.blend(a, b, alpha: -0.5, into: &result)
        #expect(result[0] == 0 && result[1] == -4)
    }
}

@Suite("Interpolation against a closed form")
struct ClosedFormInterpolationTests {
    /// An mlp whose weights are zero except fc2.bias (first two units) and fc3: every
    /// image gives the same logits z = W₃·relu(c) + b₃, with c = fc2.bias, because the
    /// first layers output zero. Along the line c, W₃ and b₃ are each (1 − α)·A + α·B.
    static func model(seed: UInt64) -> Model {
        var generator = SeededGenerator(seed: seed)
        let model = Model(
            architecture: .mlp, inputShape: InputShape(channels: 1, height: 4, width: 4),
            classCount: 3, generator: &generator)
        for index in model.parameters.indices { model.parameters[index] = 0 }
        let hidden = model.parameterSlice(named: "fc2.bias")!.range
        for unit in 0..<2 {
            model.parameters[hidden.lowerBound + unit] = Float(0.5 + generator.nextUnitDouble())
        }
        let weight = model.parameterSlice(named: "fc3.weight")!.range
        for k in 0..<3 {
            for unit in 0..<2 {
                model.parameters[weight.lowerBound + k * 512 + unit] = Float(
                    4 * generator.nextUnitDouble() - 2)
            }
        }
        let bias = model.parameterSlice(named: "fc3.bias")!.range
        for k in 0..<3 { model.parameters[bias.lowerBound + k] = Float(generator.nextGaussian()) }
        return model
    }

    /// Mean cross-entropy and error of logits z(α) for `labels`, in Double.
    static func closedForm(_ a: Model, _ b: Model, alpha: Double, labels: [Int32]) -> (
        loss: Double, error: Double
    ) {
        let line = { (model: Model, name: String, offset: Int) -> Double in
            let start = model.parameterSlice(named: name)!.range.lowerBound + offset
            return Double(model.parameters[start])
        }
        let mix = { (name: String, offset: Int) -> Double in
            (1 - alpha) * line(a, name, offset) + alpha * line(b, name, offset)
        }
        let hidden = (0..<2).map { max(0, mix("fc2.bias", $0)) }
        let logits = (0..<3).map { k in
            mix("fc3.bias", k)
                + (0..<2).reduce(0.0) { $0 + mix("fc3.weight", k * 512 + $1) * hidden[$1] }
        }
        let largest = logits.max()!
        let logSum = largest + log(logits.reduce(0.0) { $0 + exp($1 - largest) })
        let predicted = logits.firstIndex(of: largest)!
        let loss = labels.reduce(0.0) { $0 + logSum - logits[Int($1)] } / Double(labels.count)
        let wrong = labels.filter { Int($0) != predicted }.count
        return (loss, Double(wrong) / Double(labels.count))
    }

    @Test("loss and error along the line equal the closed form, extrapolation included")
    func matchesClosedForm() throws {
        let fixture = InterpolationFixture()
        let (a, b) = (Self.model(seed: 11), Self.model(seed: 12))
        let interpolator = try Interpolator(
            start: a, end: b, evaluationSets: [fixture.test], statisticsImages: fixture.train)
        let curve = interpolator.curves(mode: .interp, grid: .standard, refine: true)[0]
        let labels = fixture.test.labels
        for point in curve.points {
            let expected = Self.closedForm(a, b, alpha: point.alpha, labels: labels)
            // Float weights and logits against Double: a few ulps of the logits.
            expectClose(
                point.loss, expected.loss, absoluteTolerance: 1e-5, relativeTolerance: 1e-5,
                "loss at α \(point.alpha)")
            #expect(point.error == expected.error, "error at α \(point.alpha)")
        }
        let reference = BarrierHeights(
            alphas: curve.points.map(\.alpha),
            values: curve.points.map { Self.closedForm(a, b, alpha: $0.alpha, labels: labels).loss }
        )
        expectClose(
            curve.lossBarrier.linear.height, reference.linear.height, absoluteTolerance: 1e-5)
        #expect(curve.lossBarrier.linear.alpha == reference.linear.alpha)
    }
}
