import BasinAnalysis
import BasinCheckpoint
import BasinKernels
import BasinNetwork
import BasinTestSupport
import Foundation
import Testing

@testable import BasinCommandLine

@Suite("basin curvature")
struct CurvatureCommandTests {
    /// The dense block of `tensor` of the Hessian on the command's own sample, one column
    /// per Hessian-vector product, with the sample's softmax probabilities [N, K].
    private func denseBlock(of checkpoint: URL, tensor: String, samples: Int, batchSize: Int)
        throws -> (matrix: [Double], probabilities: [Double])
    {
        let loaded = try LoadedCheckpoint(contentsOf: checkpoint)
        let sample = try HessianSample(
            for: loaded, data: nil, sampleCount: samples, batchSize: batchSize,
            mode: .running, seed: 0)
        let slice = try #require(loaded.model.parameterSlice(named: tensor))
        var block = BlockRestrictedOperator(
            sample.hessian(of: loaded.model),
            block: ParameterBlock(name: slice.name, range: slice.range))
        let n = block.dimension
        var matrix = [Double](repeating: 0, count: n * n)
        var unit = [Float](repeating: 0, count: n)
        var product = [Float](repeating: 0, count: n)
        for column in 0..<n {
            unit[column] = 1
            try block.apply(unit, into: &product)
            unit[column] = 0
            for row in 0..<n { matrix[row * n + column] = Double(product[row]) }
        }
        var probabilities: [Double] = []
        for batch in sample.batches {
            let logits = loaded.model.logits(images: batch.images, mode: .running)
            for example in 0..<batch.count {
                let row = logits[(example * n)..<((example + 1) * n)].map(Double.init)
                let top = row.max() ?? 0
                let exponentials = row.map { exp($0 - top) }
                let sum = exponentials.reduce(0, +)
                probabilities += exponentials.map { $0 / sum }
            }
        }
        return (matrix, probabilities)
    }

    @Test("on the fc3.bias block formed from HVP columns, top eigenvalues and trace match")
    func matchesDenseBlock() throws {
        let folder = try temporaryFolder("curvature-dense")
        // Confident, unequal predictions spread the block's spectrum (at initialisation the
        // softmax is nearly uniform and the eigenvalues nearly equal).
        let model = embeddedMLP(seed: 7)
        for index in try #require(model.parameterSlice(named: "fc3.weight")).range {
            model.parameters[index] *= 40
        }
        let checkpoint = try writeCheckpoint(model, in: folder)
        let n = 10
        let samples = 12
        let (matrix, probabilities) = try denseBlock(
            of: checkpoint, tensor: "fc3.bias", samples: samples, batchSize: 5)

        // The block has the closed form mean over examples of diag(p) − ppᵀ (the softmax
        // cross-entropy's Hessian in the logits, which are affine in the last bias).
        var closedForm = [Double](repeating: 0, count: n * n)
        for example in 0..<samples {
            let p = probabilities[(example * n)..<((example + 1) * n)].map { $0 }
            for row in 0..<n {
                for column in 0..<n {
                    let entry = (row == column ? p[row] : 0) - p[row] * p[column]
                    closedForm[row * n + column] += entry / Double(samples)
                }
            }
        }
        expectClose(matrix, closedForm, absoluteTolerance: 1e-6, relativeTolerance: 1e-4)
        let dense = DenseSymmetricOperator(dimension: n, entries: closedForm)
        let exact = jacobiEigendecomposition(matrix: closedForm, dimension: n).eigenvalues
        let topThree = Array(exact.suffix(3).reversed())
        #expect(topThree[0] > 0)

        // Lanczos with its three largest and the trace.
        let lanczosFolder = folder.appendingPathComponent("lanczos")
        let lanczos = run(
            [
                "curvature", checkpoint.path, "--samples", "\(samples)", "--batch-size", "5",
                "--block", "fc3.bias", "--top", "3", "--method", "lanczos", "--tolerance",
                "1e-5", "--trace", "--trace-probes", "100", "--trace-min-probes", "100",
                "--out", lanczosFolder.path, "--quiet",
            ], program: .basin)
        #expect(lanczos.status == 0, "\(lanczos.standardError)")
        let record = try readJSONObject(lanczosFolder.appendingPathComponent("analysis.json"))
        let eigenvalues = try #require(record["eigenvalues"] as? [String: Any])
        let largest = try #require(eigenvalues["largest"] as? [[String: Any]])
        expectClose(
            largest.compactMap { $0["eigenvalue"] as? Double }, topThree, absoluteTolerance: 0,
            relativeTolerance: 1e-4)
        let trace = try #require(record["trace"] as? [String: Any])
        let estimate = try #require(trace["trace"] as? Double)
        let standardError = try #require(trace["standardError"] as? Double)
        #expect(
            abs(estimate - dense.trace) <= 4 * standardError + 1e-6 * abs(dense.trace),
            "Hutchinson \(estimate) ± \(standardError), dense trace \(dense.trace)")
        #expect(standardError > 0 && standardError < 0.05 * dense.trace)
        #expect(record["dimension"] as? Int == n)
        try expectWellFormedOutputs(in: lanczosFolder)

        // Power iteration with deflation agrees on the same three.
        let powerFolder = folder.appendingPathComponent("power")
        let power = run(
            [
                "curvature", checkpoint.path, "--samples", "\(samples)", "--batch-size", "5",
                "--block", "fc3.bias", "--top", "3", "--tolerance", "1e-7",
                "--max-iterations", "300", "--out", powerFolder.path, "--quiet",
            ], program: .basin)
        #expect(power.status == 0, "\(power.standardError)")
        let powerRecord = try readJSONObject(powerFolder.appendingPathComponent("analysis.json"))
        let powerLargest = try #require(
            (powerRecord["eigenvalues"] as? [String: Any])?["largest"] as? [[String: Any]])
        expectClose(
            powerLargest.compactMap { $0["eigenvalue"] as? Double }, topThree,
            absoluteTolerance: 0, relativeTolerance: 1e-3)
    }

    @Test("the whole Hessian with density writes parseable JSON, CSV and SVG and the thresholds")
    func wholeHessianOutputs() throws {
        let folder = try temporaryFolder("curvature-outputs")
        let checkpoint = try writeCheckpoint(embeddedMLP(seed: 8), in: folder)
        let output = folder.appendingPathComponent("out")
        let result = run(
            [
                "curvature", checkpoint.path, "--samples", "12", "--batch-size", "5",
                "--top", "2", "--smallest", "--max-iterations", "15", "--trace",
                "--trace-probes", "4", "--trace-min-probes", "3", "--density",
                "--density-steps", "12", "--density-probes", "2", "--out", output.path,
                "--quiet",
            ], program: .basin)
        #expect(result.status == 0, "\(result.standardError)")
        try expectWellFormedOutputs(in: output)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: output.path))
        for expected in [
            "analysis.json", "eigenvalues.csv", "eigenvalue-convergence.csv",
            "trace-convergence.csv", "layer-traces.csv", "density.csv", "quadrature.csv",
            "spectrum.svg", "convergence.svg", "trace-convergence.svg", "density.svg",
        ] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        let record = try readJSONObject(output.appendingPathComponent("analysis.json"))
        let sample = try #require(record["sample"] as? [String: Any])
        #expect(sample["batchNormMode"] as? String == "running")
        #expect(sample["exampleCount"] as? Int == 12 && sample["batchCount"] as? Int == 3)
        let stability = try #require(record["stability"] as? [String: Any])
        expectClose(
            try #require(stability["gradientDescentThreshold"] as? Double), 20,
            absoluteTolerance: 1e-12)
        expectClose(
            try #require(stability["heavyBallThreshold"] as? Double), 38,
            absoluteTolerance: 1e-12)
        #expect((record["gradientNorm"] as? Double ?? 0) > 0)
        let eigenvalues = try #require(record["eigenvalues"] as? [String: Any])
        #expect((eigenvalues["largest"] as? [Any])?.count == 2)
        #expect(eigenvalues["smallest"] is [String: Any])
        // Per-layer traces: one row per parameter tensor of the mlp.
        let layers = try CSVTable.read(
            String(contentsOf: output.appendingPathComponent("layer-traces.csv"), encoding: .utf8))
        #expect(layers.rows.map { $0[0] } == embeddedMLP(seed: 8).parameterLayout.map(\.name))
        #expect(result.standardOutput.contains("lambda_1 = "))
    }

    @Test("a file that is not a checkpoint fails with status 1 and names the file")
    func notACheckpoint() throws {
        let folder = try temporaryFolder("curvature-bad")
        let url = folder.appendingPathComponent("notes.safetensors")
        try Data("not a checkpoint".utf8).write(to: url)
        let result = run(["curvature", url.path, "--quiet"], program: .basin)
        #expect(result.status == 1)
        #expect(result.standardError.contains(url.path), "\(result.standardError)")
        let missing = run(
            ["curvature", folder.appendingPathComponent("absent.safetensors").path],
            program: .basin)
        #expect(missing.status == 1 && missing.standardError.contains("absent.safetensors"))
    }

    @Test("bad options exit with status 2 and name the option")
    func badOptions() throws {
        let folder = try temporaryFolder("curvature-usage")
        let checkpoint = try writeCheckpoint(embeddedMLP(seed: 9), in: folder)
        let mode = run(["curvature", checkpoint.path, "--bn", "train"], program: .basin)
        #expect(mode.status == 2 && mode.standardError.contains("--bn"))
        let block = run(
            ["curvature", checkpoint.path, "--samples", "4", "--block", "fc9.weight"],
            program: .basin)
        #expect(block.status == 2 && block.standardError.contains("fc9.weight"))
        let top = run(["curvature", checkpoint.path, "--top", "0"], program: .basin)
        #expect(top.status == 2 && top.standardError.contains("--top"))
    }
}
