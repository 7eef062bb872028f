import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Lanczos with full reorthogonalisation")
struct LanczosTests {
    @Test("30 steps on a 60×60 matrix give the extreme eigenvalues and agree with power iteration")
    func extremeEigenvalues() throws {
        var generator = SeededGenerator(seed: 21)
        var matrix = DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [10, 7, 5], bottom: [-4, -3], bulkCount: 55),
            generator: &generator)
        let lanczos = try LanczosDecomposition(
            of: &matrix, options: LanczosOptions(stepCount: 30), generator: &generator)
        #expect(lanczos.stepCount == 30 && !lanczos.invariantSubspaceFound)
        let spectrum = try lanczos.ritzSpectrum()
        let top = spectrum.largest(3)
        let bottom = spectrum.smallest(2)
        expectClose(top.map(\.value), [10, 7, 5], absoluteTolerance: 1e-4)
        expectClose(bottom.map(\.value), [-4, -3], absoluteTolerance: 1e-4)
        #expect((top + bottom).allSatisfy { $0.residualNorm < 1e-3 }, "\(top + bottom)")

        // The same three by power iteration.
        let power = try PowerIteration.dominantEigenpairs(
            of: &matrix, count: 3,
            options: PowerIterationOptions(maxIterationCount: 500, relativeTolerance: 1e-6),
            generator: &generator)
        expectClose(
            power.estimates.map(\.eigenvalue), top.map(\.value), absoluteTolerance: 0,
            relativeTolerance: 1e-4)
    }

    @Test("the Lanczos vectors stay orthonormal and T equals VᵀHV")
    func orthonormalBasis() throws {
        var generator = SeededGenerator(seed: 22)
        var matrix = DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [10], bottom: [-2], bulkCount: 48),
            generator: &generator)
        let lanczos = try LanczosDecomposition(
            of: &matrix, options: LanczosOptions(stepCount: 40), generator: &generator)
        var worst = 0.0
        for i in 0..<lanczos.stepCount {
            for j in 0..<lanczos.stepCount {
                let dot = Vector.dot(lanczos.basis[i], lanczos.basis[j])
                worst = max(worst, abs(dot - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-5, "max |VᵀV − I| = \(worst)")
        // (VᵀHV)_{j, j+1} = βⱼ.
        var product = [Float](repeating: 0, count: matrix.dimension)
        for j in [0, 10, 38] {
            try matrix.apply(lanczos.basis[j + 1], into: &product)
            expectClose(
                Vector.dot(lanczos.basis[j], product), lanczos.offDiagonal[j],
                absoluteTolerance: 1e-4)
        }
    }

    @Test("n steps on an n×n matrix recover the whole spectrum")
    func fullSpectrum() throws {
        var generator = SeededGenerator(seed: 23)
        let spectrum = (0..<20).map { Double($0) * 0.5 - 3 }
        var matrix = DenseSymmetricOperator(eigenvalues: spectrum, generator: &generator)
        let lanczos = try LanczosDecomposition(
            of: &matrix, options: LanczosOptions(stepCount: 500), generator: &generator)
        #expect(lanczos.requestedStepCount == 20 && lanczos.stepCount == 20)
        let ritz = try lanczos.ritzSpectrum()
        expectClose(ritz.ritzValues.map(\.value), spectrum, absoluteTolerance: 1e-4)
        expectClose(ritz.ritzValues.map(\.weight).reduce(0, +), 1, absoluteTolerance: 1e-12)
    }

    @Test("breaks down after rank + 1 steps on a low-rank matrix, with exact Ritz values")
    func breakdownOnLowRank() throws {
        var generator = SeededGenerator(seed: 24)
        var matrix = CountingOperator(
            DenseSymmetricOperator(
                eigenvalues: [5, 3, 1] + [Double](repeating: 0, count: 27),
                generator: &generator))
        let lanczos = try LanczosDecomposition(
            of: &matrix, options: LanczosOptions(stepCount: 20), generator: &generator)
        // The Krylov space of a start vector with a null-space component is
        // span{q₅, q₃, q₁, null part}: four dimensions.
        #expect(lanczos.invariantSubspaceFound)
        #expect(lanczos.stepCount == 4 && matrix.productCount == 4)
        let ritz = try lanczos.ritzSpectrum()
        expectClose(ritz.ritzValues.map(\.value), [0, 1, 3, 5], absoluteTolerance: 1e-5)
        #expect(ritz.ritzValues.allSatisfy { $0.residualNorm < 1e-5 })
    }

    @Test("the Ritz vector's true residual is bounded by the reported one")
    func ritzVectorResidual() throws {
        var generator = SeededGenerator(seed: 25)
        var matrix = DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [6, 5.5], bottom: [], bulkCount: 38),
            generator: &generator)
        let lanczos = try LanczosDecomposition(
            of: &matrix, options: LanczosOptions(stepCount: 12), generator: &generator)
        let decomposition = try lanczos.tridiagonalEigendecomposition()
        let ritz = try lanczos.ritzSpectrum()
        for index in [lanczos.stepCount - 1, lanczos.stepCount - 2] {
            let vector = lanczos.ritzVector(index, of: decomposition)
            let value = ritz.ritzValues[index].value
            let trueResidual = denseRelativeResidual(matrix, vector, value) * abs(value)
            #expect(
                abs(trueResidual - ritz.ritzValues[index].residualNorm) < 1e-4,
                "true \(trueResidual), reported \(ritz.ritzValues[index].residualNorm)")
        }
    }

    @Test("the zero operator breaks down at once with the Ritz value 0")
    func zeroOperator() throws {
        var zero = DiagonalOperator(diagonal: [0, 0, 0, 0])
        var generator = SeededGenerator(seed: 26)
        let lanczos = try LanczosDecomposition(of: &zero, generator: &generator)
        #expect(lanczos.stepCount == 1 && lanczos.invariantSubspaceFound)
        #expect(try lanczos.ritzSpectrum().ritzValues.map(\.value) == [0])
    }

    @Test("bad options and a diverged operator are errors")
    func errors() {
        var generator = SeededGenerator(seed: 27)
        var diagonal = DiagonalOperator(diagonal: [1, 2, 3])
        #expect(throws: CurvatureError.self) {
            try LanczosDecomposition(
                of: &diagonal, options: LanczosOptions(stepCount: 0), generator: &generator)
        }
        var failing = FailingOperator(dimension: 6, failingProduct: 2)
        #expect(throws: CurvatureError.nonFiniteProduct(algorithm: "Lanczos", step: 2)) {
            try LanczosDecomposition(of: &failing, generator: &generator)
        }
    }
}
