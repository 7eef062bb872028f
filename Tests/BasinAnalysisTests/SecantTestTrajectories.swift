import BasinAnalysis
import BasinKernels

/// Trajectories of SGD on the quadratic f(θ) = θᵀHθ/2 (gradient Hθ, exact), for the secant
/// suites. Computed in Double, snapshots rounded to Float as a checkpoint would store them.
struct QuadraticProblem {
    let eigenvalues: [Double]
    /// `[n, n]`, row-major; column j is the eigenvector of `eigenvalues[j]`.
    let orthogonal: [Double]
    let hessian: DenseSymmetricOperator

    init(eigenvalues: [Double], seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        self.eigenvalues = eigenvalues
        orthogonal = DenseSymmetricOperator.randomOrthogonalMatrix(
            dimension: eigenvalues.count, generator: &generator)
        hessian = DenseSymmetricOperator(eigenvalues: eigenvalues, orthogonalMatrix: orthogonal)
    }

    var dimension: Int { eigenvalues.count }

    /// Eigenvector `index` scaled by `scale`.
    func eigenvector(_ index: Int, scale: Double = 1) -> [Double] {
        (0..<dimension).map { orthogonal[$0 * dimension + index] * scale }
    }

    func gradient(_ theta: [Double]) -> [Double] {
        (0..<dimension).map { row in
            (0..<dimension).reduce(0.0) { $0 + hessian.entries[row * dimension + $1] * theta[$1] }
        }
    }

    /// sᵀHs/sᵀs in Double.
    func rayleighQuotient(_ s: [Double]) -> Double {
        let hs = gradient(s)
        return zip(s, hs).reduce(0) { $0 + $1.0 * $1.1 } / s.reduce(0) { $0 + $1 * $1 }
    }

    /// `steps + 1` snapshots θ₀…θ_steps of PyTorch SGD (v ← μₜv + g, θ ← θ − ηₜv) from v = 0,
    /// or with `nesterov`, θ ← θ − ηₜ(g + μₜv).
    func pytorchTrajectory(
        from start: [Double], steps: Int, learningRate: (Int) -> Double,
        momentum: (Int) -> Double, nesterov: Bool = false
    ) -> [[Double]] {
        var theta = start
        var velocity = [Double](repeating: 0, count: dimension)
        var snapshots = [theta]
        for t in 0..<steps {
            let g = gradient(theta)
            for i in 0..<dimension {
                velocity[i] = momentum(t) * velocity[i] + g[i]
                let update = nesterov ? g[i] + momentum(t) * velocity[i] : velocity[i]
                theta[i] -= learningRate(t) * update
            }
            snapshots.append(theta)
        }
        return snapshots
    }

    /// `steps + 1` snapshots of Caffe SGD (V ← μₜV + εₜg, θ ← θ − V) from V = 0.
    func caffeTrajectory(
        from start: [Double], steps: Int, learningRate: (Int) -> Double,
        momentum: (Int) -> Double
    ) -> [[Double]] {
        var theta = start
        var velocity = [Double](repeating: 0, count: dimension)
        var snapshots = [theta]
        for t in 0..<steps {
            let g = gradient(theta)
            for i in 0..<dimension {
                velocity[i] = momentum(t) * velocity[i] + learningRate(t) * g[i]
                theta[i] -= velocity[i]
            }
            snapshots.append(theta)
        }
        return snapshots
    }
}

func asFloat(_ values: [Double]) -> [Float] { values.map { Float($0) } }
