import BasinAnalysis
import BasinCheckpoint
import BasinKernels
import BasinNetwork
import BasinTestSupport
import Foundation
import Testing

@testable import BasinCommandLine

@Suite("basin trajectory")
struct TrajectoryCommandTests {
    /// Six checkpoints, iterations 0…5, of full-batch heavy-ball SGD (PyTorch's v = μv + g,
    /// θ −= ηv) on exactly the sample the command takes its Hessian on, written without a
    /// run.json. Only the last layer (fc3) moves, so the loss along the path is smooth: when
    /// hidden ReLUs switch, gradient differences feel the kinks, which the Hessian (defined
    /// almost everywhere) does not, and secant and Hessian curvature differ for that reason
    /// alone. Returns the run folder and the parameters at each iteration.
    private func heavyBallRun(learningRate: Double, momentum: Double) throws
        -> (folder: URL, parameters: [[Float]])
    {
        let folder = try temporaryFolder("trajectory")
        let model = embeddedMLP(seed: 31)
        let first = try writeCheckpoint(
            model, in: folder, name: "snapshot-000000", iteration: 0, learningRate: nil,
            momentum: nil)
        let sample = try HessianSample(
            for: LoadedCheckpoint(contentsOf: first), data: nil, sampleCount: 8, batchSize: 8,
            mode: .running, seed: 0)
        var velocity = [Float](repeating: 0, count: model.parameterCount)
        var gradient: [Float] = []
        var parameters = [model.parameters]
        let lastLayer = try ["fc3.weight", "fc3.bias"].flatMap {
            try #require(model.parameterSlice(named: $0)).range
        }
        for iteration in 1...5 {
            model.gradient(
                images: sample.batches[0].images, labels: sample.batches[0].labels,
                mode: .running, into: &gradient)
            for index in lastLayer {
                velocity[index] = Float(momentum) * velocity[index] + gradient[index]
                model.parameters[index] -= Float(learningRate) * velocity[index]
            }
            parameters.append(model.parameters)
            try writeCheckpoint(
                model, in: folder, name: "snapshot-00000\(iteration)", iteration: iteration,
                learningRate: learningRate, momentum: momentum)
        }
        return (folder, parameters)
    }

    @Test("secants three ways, curvature at each checkpoint, and parseable outputs")
    func secantsAndCurvature() throws {
        let (learningRate, momentum) = (0.02, 0.9)
        let (folder, parameters) = try heavyBallRun(
            learningRate: learningRate, momentum: momentum)
        let output = folder.appendingPathComponent("analysis")
        let result = run(
            [
                "trajectory", folder.path, "--samples", "8", "--batch-size", "8",
                "--max-iterations", "30", "--trace-probes", "4", "--out", output.path, "--quiet",
            ], program: .basin)
        #expect(result.status == 0, "\(result.standardError)")
        try expectWellFormedOutputs(in: output)

        // One curvature row per checkpoint, with 2/η and (2 + 2μ)/η.
        let points = try CSVTable.read(
            String(contentsOf: output.appendingPathComponent("trajectory.csv"), encoding: .utf8))
        #expect(points.rows.map { $0[0] } == ["0", "1", "2", "3", "4", "5"])
        let threshold = try #require(points.columns.firstIndex(of: "gd_threshold"))
        let heavyBall = try #require(points.columns.firstIndex(of: "heavy_ball_threshold"))
        #expect(points.rows[0][threshold] == "")
        expectClose(
            Double(points.rows[3][threshold]) ?? 0, 2 / learningRate, absoluteTolerance: 1e-9)
        expectClose(
            Double(points.rows[3][heavyBall]) ?? 0, (2 + 2 * momentum) / learningRate,
            absoluteTolerance: 1e-9)

        // Smith's published quantity for the first triple, from the weights directly.
        let secants = try CSVTable.read(
            String(contentsOf: output.appendingPathComponent("secant.csv"), encoding: .utf8))
        func column(_ name: String) throws -> [Double?] {
            let index = try #require(secants.columns.firstIndex(of: name))
            return secants.rows.map { Double($0[index]) }
        }
        #expect(secants.rows.count == 5)
        var top = 0.0
        var bottom = 0.0
        for index in parameters[0].indices {
            let (a, b, c) = (
                Double(parameters[0][index]), Double(parameters[1][index]),
                Double(parameters[2][index])
            )
            top += abs(b - a)
            bottom += abs(2 * b - a - c)
        }
        let smith = try column("smith_estimate")
        expectClose(
            try #require(smith[0]), learningRate * top / bottom, absoluteTolerance: 0,
            relativeTolerance: 1e-9)
        #expect(smith.prefix(4).allSatisfy { $0 != nil } && smith[4] == nil)
        let average = try column("smith_moving_average")
        expectClose(
            try #require(average[0]), 0.9 * 0.1 + 0.1 * smith[0]!, absoluteTolerance: 1e-12)

        // Full-batch gradients on the Hessian's own sample: the momentum-corrected secant
        // measures the same curvature along the step as the exact HVP, up to the change of
        // curvature over one small step; Smith's uncorrected ratio does not.
        let corrected = try column("momentum_curvature")
        let exact = try column("hvp_curvature")
        #expect(corrected.compactMap { $0 }.count == 3)
        for index in 1...3 {
            let (secant, hessian) = (try #require(corrected[index]), try #require(exact[index]))
            expectClose(secant, hessian, absoluteTolerance: 0, relativeTolerance: 0.03)
        }
        let uncorrected = 1 / (try #require(smith[1]))
        #expect(
            abs(uncorrected - (try #require(exact[1]))) > 0.5 * abs(try #require(exact[1])),
            "Smith's curvature \(uncorrected) vs exact \(exact[1]!)")
    }

    @Test("a run folder without checkpoints fails with status 1 and names the folder")
    func emptyRun() throws {
        let folder = try temporaryFolder("trajectory-empty")
        let result = run(["trajectory", folder.path], program: .basin)
        #expect(result.status == 1 && result.standardError.contains(folder.path))
    }
}
