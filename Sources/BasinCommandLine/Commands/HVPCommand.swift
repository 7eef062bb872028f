import BasinAnalysis
import BasinCheckpoint
import BasinKernels
import BasinNetwork
import Foundation

/// `basin hvp CHECKPOINT --direction V.safetensors`: the Hessian-vector product H·v of the
/// training loss for a direction given as a file.
struct HVPCommand: Command {
    static let configuration = CommandConfiguration(
        name: "hvp",
        abstract: "Write the Hessian-vector product Hv for a direction stored in a file.",
        discussion: """
            Reads the direction v from a safetensors file with one tensor per trainable
            parameter, named and shaped as in the model's state_dict (BatchNorm buffers,
            if present, are ignored), and writes H·v in the same form. H is the Hessian of
            the mean training loss on the same fixed sample and BatchNorm mode that
            'basin curvature' uses, with the same options, computed by exact
            Hessian-vector products one batch at a time.

            Also prints |v|, |Hv| and the curvature along v, v.Hv / v.v.
            """,
        examples: [
            "basin hvp checkpoints/run1/final.safetensors --direction v.safetensors "
                + "--out hv.safetensors"
        ])

    let checkpoint = Argument<URL>("CHECKPOINT", help: "The checkpoint at which H is taken.")
    let direction = Option<URL>(
        "--direction", valueName: "PATH", help: "Safetensors file holding the direction v.")
    let sample = HessianSampleOptions()
    let output = Option<URL?>(
        "--out", valueName: "PATH",
        help: "Where to write Hv (default analyses/hvp-NAME.safetensors).")

    func run(_ context: CommandContext) throws {
        if let threads = context[sample.threads] { Parallelism.threadCount = threads }
        let loaded = try LoadedCheckpoint(contentsOf: context[checkpoint])
        let vector = try ParameterDirection.read(from: context[direction], for: loaded.model)
        var hessianSample = try HessianSample(for: loaded, options: sample, context: context)
        // One product: a kept pass would never be reused.
        hessianSample.retainedPassByteLimit = 0
        var hessian = hessianSample.hessian(of: loaded.model)
        var product = [Float](repeating: 0, count: hessian.dimension)
        try hessian.apply(vector, into: &product)

        let url =
            context[output]
            ?? URL(fileURLWithPath: "analyses", isDirectory: true)
            .appendingPathComponent("hvp-\(loaded.name).safetensors")
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let record = hessianSample.record
        try writeSafetensors(
            ParameterDirection.tensors(product, of: loaded.model),
            metadata: [
                "content": "hessian_vector_product",
                "checkpoint": loaded.url.path,
                "direction": context[direction].path,
                "dataset": record.dataset,
                "sample_count": "\(record.exampleCount)",
                "batch_size": "\(record.batchSize)",
                "batchnorm_mode": record.batchNormMode,
                "seed": "\(record.seed)",
            ], to: url)

        let normSquared = Vector.dot(vector, vector)
        let curvature = normSquared > 0 ? Vector.dot(vector, product) / normSquared : Double.nan
        context.standardOutput.write(
            "|v| = \(displayNumber(normSquared.squareRoot())), |Hv| = "
                + "\(displayNumber(Vector.norm(product))), v.Hv/v.v = \(displayNumber(curvature)) "
                + "(\(record.exampleCount) images, BatchNorm \(record.batchNormMode))\n"
                + "wrote \(url.relativePath)\n")
    }
}
