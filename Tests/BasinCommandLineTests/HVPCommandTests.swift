import BasinCheckpoint
import BasinKernels
import BasinNetwork
import BasinTestSupport
import Foundation
import Testing

@testable import BasinCommandLine

@Suite("basin hvp")
struct HVPCommandTests {
    @Test("the output is model.hessianVectorProduct on the sample, under the model's names")
    func matchesModelProduct() throws {
        let folder = try temporaryFolder("hvp")
        let model = embeddedMLP(seed: 21)
        let checkpoint = try writeCheckpoint(model, in: folder)
        var generator = SeededGenerator(seed: 22)
        let direction = (0..<model.parameterCount).map { _ in Float(generator.nextGaussian()) }
        let directionURL = folder.appendingPathComponent("v.safetensors")
        try writeSafetensors(ParameterDirection.tensors(direction, of: model), to: directionURL)
        let outputURL = folder.appendingPathComponent("hv.safetensors")

        let result = run(
            [
                "hvp", checkpoint.path, "--direction", directionURL.path, "--samples", "6",
                "--batch-size", "6", "--out", outputURL.path,
            ], program: .basin)
        #expect(result.status == 0, "\(result.standardError)")

        let written = try Checkpoint(contentsOf: outputURL)
        // Order in a safetensors file is not significant: match by name.
        #expect(Set(written.tensors.map(\.name)) == Set(model.parameterLayout.map(\.name)))
        #expect(written.tensors.count == model.parameterLayout.count)
        var product = [Float](repeating: 0, count: model.parameterCount)
        for slice in model.parameterLayout {
            let tensor = try #require(written.tensor(named: slice.name))
            #expect(tensor.shape == slice.shape, "\(slice.name)")
            guard case .float32(let values) = tensor.values, values.count == slice.range.count
            else {
                Issue.record("\(slice.name) is not \(slice.range.count) floats")
                continue
            }
            product.replaceSubrange(slice.range, with: values)
        }
        let loaded = try LoadedCheckpoint(contentsOf: checkpoint)
        let sample = try HessianSample(
            for: loaded, data: nil, sampleCount: 6, batchSize: 6, mode: .running, seed: 0)
        var expected: [Float] = []
        model.hessianVectorProduct(
            images: sample.batches[0].images, labels: sample.batches[0].labels, mode: .running,
            direction: direction, into: &expected)
        expectClose(product, expected, absoluteTolerance: 1e-7, relativeTolerance: 1e-5)
        #expect(Vector.norm(expected) > 0)
    }

    @Test("a missing direction file fails with status 1 and names it")
    func missingDirection() throws {
        let folder = try temporaryFolder("hvp-missing")
        let checkpoint = try writeCheckpoint(embeddedMLP(seed: 23), in: folder)
        let absent = folder.appendingPathComponent("nowhere.safetensors")
        let result = run(
            ["hvp", checkpoint.path, "--direction", absent.path, "--samples", "2"],
            program: .basin)
        #expect(result.status == 1)
        #expect(result.standardError.contains(absent.path), "\(result.standardError)")
        let noFlag = run(["hvp", checkpoint.path], program: .basin)
        #expect(noFlag.status == 2 && noFlag.standardError.contains("--direction"))
    }

    @Test("a direction with a wrong tensor shape fails with status 1 naming file and tensor")
    func wrongShape() throws {
        let folder = try temporaryFolder("hvp-shape")
        let model = embeddedMLP(seed: 24)
        let checkpoint = try writeCheckpoint(model, in: folder)
        var tensors = ParameterDirection.tensors(
            [Float](repeating: 1, count: model.parameterCount), of: model)
        tensors[1] = NamedTensor(
            name: tensors[1].name, shape: [7], values: .float32([Float](repeating: 1, count: 7)))
        let url = folder.appendingPathComponent("bad-direction.safetensors")
        try writeSafetensors(tensors, to: url)
        let result = run(
            ["hvp", checkpoint.path, "--direction", url.path, "--samples", "2"], program: .basin)
        #expect(result.status == 1)
        #expect(result.standardError.contains(url.path), "\(result.standardError)")
        #expect(result.standardError.contains(tensors[1].name))
    }
}
