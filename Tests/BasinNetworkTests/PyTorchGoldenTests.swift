import BasinKernels
import BasinNetwork
import BasinTestSupport
import Foundation
import Testing

/// Basin's models against PyTorch. Every expected value below was printed by
/// `scripts/golden/network.py` (PyTorch 2.15, float64, double backward for H·v) for the
/// same architectures on 1×8×8 images with 3 classes, batch 4, every tensor filled from
/// the closed-form formulas of `fill(_:)` and the data of `batch()`.
///
/// Tolerances: Basin computes in float32; sums over a few thousand terms and the
/// BatchNorm normalisation keep its results within about 1e-5 relative of float64, so
/// scalars are held to 1e-4 relative and probed entries to 1e-3 of the largest probe.
@Suite("PyTorch golden values")
struct PyTorchGoldenTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        var architecture: Architecture
        var mode: BatchNormMode
        var probes: [Int]
        var loss: Double
        var gradient: [Double]
        var gradientNorm: Double
        var product: [Double]
        var productNorm: Double
        var vHv: Double
        var testDescription: String { "\(architecture) \(mode)" }
    }

    static let mlpProbes = [0, 7, 100, 1000, 5000, 20000, 60000, 150000, 297474]
    static let cnnProbes = [0, 7, 100, 1000, 5000, 20000, 60000, 93282]
    static let resnetProbes = [0, 7, 100, 1000, 5000, 20000, 60000, 150000, 271730]

    static let goldens: [Golden] = [
        Golden(
            architecture: .mlp, mode: .batch, probes: mlpProbes, loss: 1.10266660627,
            gradient: [
                -1.505084315e-05, -1.784116229e-05, -5.881675591e-06, 9.246080429e-06,
                1.160613845e-05, -5.390968207e-06, 0, 0, 0.09533622308,
            ], gradientNorm: 0.242624279212,
            product: [
                -9.090491552e-05, -8.479190417e-05, 7.955837769e-05, 0.0002772154427,
                0.0004468620801, -0.0001595555826, 0, 0, 0.002086754627,
            ], productNorm: 0.580145529951, vHv: -0.066959207212),
        Golden(
            architecture: .cnn, mode: .batch, probes: cnnProbes, loss: 1.09935538944,
            gradient: [
                -0.0005299505479, -0.0005134230285, 4.602477749e-05, -3.409799954e-05,
                -3.80512121e-05, -6.296284011e-05, -0.0003394658304, 0.08415598248,
            ], gradientNorm: 1.1924076744,
            product: [
                -0.003411954772, -0.009734804017, -0.004385460285, 0.00230284292,
                -0.004751751361, 0.003455067475, 0.003721115779, 0.1751116548,
            ], productNorm: 3.19841644745, vHv: 0.281337416471),
        Golden(
            architecture: .cnn, mode: .running, probes: cnnProbes, loss: 1.10301507872,
            gradient: [
                -3.753610195e-05, -7.623895512e-05, -8.874566976e-05, -3.204181671e-06,
                2.972397256e-07, 0, 0, 0.0814243793,
            ], gradientNorm: 0.274373548588,
            product: [
                0.0009715881623, 0.001392959139, -0.0001656079446, 0.0002784523135,
                -2.528109099e-05, 0, 0, 0.05885044252,
            ], productNorm: 0.27095386892, vHv: -0.0462496459541),
        Golden(
            architecture: .resnet20, mode: .batch, probes: resnetProbes, loss: 1.08985572652,
            gradient: [
                0.01897589197, 0.01793806558, 0.009226568426, -0.001070732978, 0.001533006763,
                -0.0005045944635, -0.0005716893899, 0.000294761871, 0.06521713972,
            ], gradientNorm: 1.98003556273,
            product: [
                -0.0833234885, -0.004255091965, -0.2995150451, -0.02709076808, -0.01421916493,
                -0.008506880882, 0.01718069766, -0.01940703423, -0.03852530906,
            ], productNorm: 19.4112888426, vHv: 0.61771864371),
        Golden(
            architecture: .resnet20, mode: .running, probes: resnetProbes,
            loss: 1.09395947996,
            gradient: [
                7.767411637e-07, 7.664790492e-08, -1.237457246e-06, 2.935237271e-08, 0, 0, 0, 0,
                0.07082295232,
            ], gradientNorm: 0.316306158221,
            product: [
                -3.421502051e-06, -4.647782632e-06, -5.192540207e-05, 1.775333857e-06, 0, 0,
                0, 0, -0.02031439482,
            ], productNorm: 0.240587954825, vHv: 0.0103968832289),
    ]

    /// A model on 1×8×8 images, 3 classes, with every tensor set by the script's formulas.
    static func model(_ architecture: Architecture) -> Model {
        var generator = SeededGenerator(seed: 1)
        let model = Model(
            architecture: architecture, inputShape: InputShape(channels: 1, height: 8, width: 8),
            classCount: 3, generator: &generator)
        for slice in model.parameterLayout {
            let fanIn = Double(slice.shape.dropFirst().reduce(1, *))
            for index in slice.range {
                let i = Double(index)
                let value: Double
                switch slice.role {
                case .batchNormWeight: value = 1 + 0.1 * sin(0.9 * i)
                case .batchNormBias: value = 0.1 * cos(0.4 * i)
                case .bias: value = 0.05 * cos(1.3 * i)
                default: value = 0.2 * sin(0.7 * i + 0.3) / fanIn.squareRoot()
                }
                model.parameters[index] = Float(value)
            }
        }
        var channelsBefore = 0
        for slice in model.runningStatisticsLayout {
            for (c, index) in slice.range.enumerated() {
                let k = Double(channelsBefore + c)
                let mean = 0.1 * sin(0.5 * k)
                let variance = 1 + 0.5 * pow(sin(0.3 * k), 2)
                model.runningStatistics[index] = Float(slice.role == .runningMean ? mean : variance)
            }
            if slice.role == .runningVariance { channelsBefore += slice.range.count }
        }
        return model
    }

    /// Four images x[j] = sin(0.05·j) + cos(0.031·j) with labels n mod 3.
    static func batch(scale: Double = 1) -> ([Float], [Int32]) {
        var images: [Float] = []
        for j in 0..<4 * 64 {
            let x = Double(j)
            images.append(Float(scale * (sin(0.05 * x) + cos(0.031 * x))))
        }
        return (images, [0, 1, 2, 0])
    }

    @Test("loss, gradient and Hessian-vector product match PyTorch", arguments: goldens)
    func derivatives(_ golden: Golden) {
        let model = Self.model(golden.architecture)
        let (images, labels) = Self.batch()
        var v: [Float] = []
        for i in 0..<model.parameterCount { v.append(Float(0.1 * cos(0.11 * Double(i) + 0.2))) }
        var gradient: [Float] = []
        var product: [Float] = []
        let result = model.hessianVectorProduct(
            images: images, labels: labels, mode: golden.mode, direction: v, into: &product,
            gradient: &gradient)
        #expect(model.parameterCount == golden.probes.last! + 1)
        expectClose(result.loss, golden.loss, absoluteTolerance: 0, relativeTolerance: 1e-5)
        let gradientScale = golden.gradient.map(abs).max()!
        expectClose(
            golden.probes.map { Double(gradient[$0]) }, golden.gradient,
            absoluteTolerance: 1e-3 * gradientScale, "gradient")
        expectClose(
            Vector.norm(gradient), golden.gradientNorm, absoluteTolerance: 0,
            relativeTolerance: 1e-4, "‖g‖")
        let productScale = golden.product.map(abs).max()!
        expectClose(
            golden.probes.map { Double(product[$0]) }, golden.product,
            absoluteTolerance: 1e-3 * productScale, "Hv")
        expectClose(
            Vector.norm(product), golden.productNorm, absoluteTolerance: 0,
            relativeTolerance: 1e-4, "‖Hv‖")
        expectClose(
            Vector.dot(v, product), golden.vHv, absoluteTolerance: 0, relativeTolerance: 1e-3,
            "vᵀHv")
    }

    @Test("mlp derivatives match PyTorch in running mode too (no BatchNorm)")
    func multilayerPerceptronRunning() {
        let model = Self.model(.mlp)
        let (images, labels) = Self.batch()
        var gradient: [Float] = []
        let result = model.gradient(images: images, labels: labels, mode: .running, into: &gradient)
        expectClose(result.loss, 1.10266660627, absoluteTolerance: 0, relativeTolerance: 1e-5)
        expectClose(
            Vector.norm(gradient), 0.242624279212, absoluteTolerance: 0, relativeTolerance: 1e-4)
    }

    @Test(
        "running statistics after momentum-0.1 and cumulative updates match PyTorch",
        arguments: [
            (Architecture.cnn, 211.82653814, 102.475015056),
            (.resnet20, 714.099595163, 85.1040941302),
        ])
    func runningStatistics(
        architecture: Architecture, exponentialSum: Double, cumulativeSum: Double
    ) {
        // The first four values are bn1's first four running means; they agree between the
        // networks because conv1's first filters have the same flat indices in both.
        let firstExponential = [0.0003205008348, 0.0003177123564, 0.0003148340521, 0.0003118667356]
        let firstCumulative = [0.004006260434, 0.003971404455, 0.003935425651, 0.003898334195]
        let model = Self.model(architecture)
        model.resetRunningStatistics()
        let (images, labels) = Self.batch()
        model.evaluate(images: images, labels: labels, mode: .batch, statisticsUpdate: .exponential)
        let exponential = model.runningStatistics.map(Double.init)
        expectClose(
            Array(exponential.prefix(4)), firstExponential, absoluteTolerance: 1e-8,
            relativeTolerance: 1e-4)
        expectClose(
            exponential.reduce(0, +), exponentialSum, absoluteTolerance: 0, relativeTolerance: 1e-5)

        model.resetRunningStatistics()
        model.evaluate(images: images, labels: labels, mode: .batch, statisticsUpdate: .cumulative)
        let (scaled, _) = Self.batch(scale: 1.5)
        model.evaluate(images: scaled, labels: labels, mode: .batch, statisticsUpdate: .cumulative)
        let cumulative = model.runningStatistics.map(Double.init)
        expectClose(
            Array(cumulative.prefix(4)), firstCumulative, absoluteTolerance: 1e-8,
            relativeTolerance: 1e-4)
        expectClose(
            cumulative.reduce(0, +), cumulativeSum, absoluteTolerance: 0, relativeTolerance: 1e-5)
        #expect(model.batchesTracked.allSatisfy { $0 == 2 })
    }
}
