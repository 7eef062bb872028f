import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Curvature along a direction")
struct DirectionalCurvatureTests {
    private let problem = QuadraticProblem(eigenvalues: [4, 2, 1, 0.5, -0.3, 0.1], seed: 71)

    @Test("along an SGD step on an eigenvector: λ and the rate 1/λ, equal to the secant forms")
    func eigenStep() throws {
        // Plain SGD from q₁ (λ = 2, η = 0.1): exact HVP, same-batch secant and Smith's
        // estimate all give 1/λ = 0.5.
        let snapshots = problem.pytorchTrajectory(
            from: problem.eigenvector(1), steps: 2, learningRate: { _ in 0.1 },
            momentum: { _ in 0 })
        let step = asFloat(zip(snapshots[1], snapshots[0]).map { $0 - $1 })
        var hessian = problem.hessian
        let exact = try DirectionalCurvatureEstimator.alongDirection(of: &hessian, direction: step)
        expectClose(exact.curvature, 2, absoluteTolerance: 0, relativeTolerance: 1e-5)
        expectClose(exact.inverseCurvature ?? 0, 0.5, absoluteTolerance: 0, relativeTolerance: 1e-5)

        let change = asFloat(
            zip(problem.gradient(snapshots[1]), problem.gradient(snapshots[0])).map { $0 - $1 })
        let secant = DirectionalCurvatureEstimator.fromGradientChange(
            step: step, gradientChange: change)
        expectClose(
            secant.curvature, exact.curvature, absoluteTolerance: 0, relativeTolerance: 1e-5)

        let smith = try SmithSecantEstimator.estimates(
            snapshots: snapshots.map(asFloat), iterations: [0, 1, 2],
            learningRates: [0.1, 0.1, 0.1])
        expectClose(
            smith[0].estimate ?? 0, exact.inverseCurvature ?? 0, absoluteTolerance: 0,
            relativeTolerance: 1e-4)
    }

    @Test("a general direction gives the Rayleigh quotient; negative curvature has no rate")
    func generalAndNegative() throws {
        var generator = SeededGenerator(seed: 72)
        let direction = (0..<6).map { _ in generator.nextGaussian() }
        var hessian = problem.hessian
        let general = try DirectionalCurvatureEstimator.alongDirection(
            of: &hessian, direction: asFloat(direction))
        expectClose(
            general.curvature, problem.rayleighQuotient(direction), absoluteTolerance: 1e-6)
        let negative = try DirectionalCurvatureEstimator.alongDirection(
            of: &hessian, direction: asFloat(problem.eigenvector(4, scale: 3)))
        expectClose(negative.curvature, -0.3, absoluteTolerance: 1e-6)
        expectClose(negative.directionNorm, 3, absoluteTolerance: 1e-6)
        #expect(negative.inverseCurvature == nil)
    }

    @Test("the Cauchy step length is gᵀg/gᵀHg")
    func cauchyStep() throws {
        // H = diag(1, 3), g = (1, 1): gᵀg = 2, gᵀHg = 4.
        var diagonal = DiagonalOperator(diagonal: [1, 3])
        let length = try DirectionalCurvatureEstimator.cauchyStepLength(
            of: &diagonal, gradient: [1, 1])
        expectClose(length ?? 0, 0.5, absoluteTolerance: 1e-7)
    }
}
