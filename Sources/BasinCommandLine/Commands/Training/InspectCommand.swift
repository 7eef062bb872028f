import BasinCheckpoint
import BasinNetwork
import Foundation

/// `basin inspect`: what a safetensors file holds.
struct InspectCommand: Command {
    static let configuration = CommandConfiguration(
        name: "inspect",
        abstract: "Print a checkpoint's metadata and a table of its tensors.",
        discussion: """
            Reads any safetensors file (Basin's checkpoints and state files, or one saved
            with safetensors.torch.save_file) and prints its metadata and, for every
            tensor, the dtype, shape, element count, L2 norm, minimum and maximum.

            With --model (needed for a file without Basin's metadata) and --data for its
            input shape and classes, also checks that the file loads into that zoo model
            and says so, or lists every tensor that does not fit.
            """,
        examples: [
            "basin inspect checkpoints/mlp-embedded-onecycle-s1/final.safetensors",
            "basin inspect model.safetensors --model mlp --data embedded --json",
        ])

    let file = Argument<URL>("FILE", help: "The safetensors file.")
    let json = Flag("--json", help: "Print the inspection as JSON.")
    let model = Option<Architecture?>(
        "--model", valueName: "ARCH", help: "Check that the file loads into this architecture.",
        parser: .cases)
    let data = Option<String?>(
        "--data", valueName: "SPEC",
        help: "Data set that fixes the input shape and classes for --model.")

    func run(_ context: CommandContext) throws {
        let url = context[file]
        let inspection = try CheckpointInspection(contentsOf: url)
        let check = try loadCheck(url, context)
        if context[json] {
            var object =
                try JSONSerialization.jsonObject(with: Data(inspection.json().utf8))
                as! [String: Any]
            if let check { object["loads_as"] = check }
            context.standardOutput.write(
                String(decoding: try JSONOutput.data(jsonObject: object), as: UTF8.self))
        } else {
            context.standardOutput.write(inspection.table())
            if let check { context.standardOutput.write("\nloads as  \(check)\n") }
        }
    }

    /// "mlp (1×28×28, 10 classes)" when the file loads into the model asked for (or the
    /// one its metadata names); nil when neither names one.
    private func loadCheck(_ url: URL, _ context: CommandContext) throws -> String? {
        let checkpoint = try Checkpoint(contentsOf: url)
        guard context[model] != nil || checkpoint.metadata.architecture != nil else {
            return nil
        }
        var inputShape: InputShape?
        var classCount: Int?
        if let spec = context[data] {
            let prepared = try PreparedData.load(spec, seed: 0)
            inputShape = prepared.inputShape
            classCount = prepared.dataset.classCount
        }
        let loaded = try checkpoint.makeModel(
            architecture: context[model], inputShape: inputShape, classCount: classCount)
        return "\(loaded.architecture.rawValue) (\(loaded.inputShape), "
            + "\(loaded.classCount) classes, \(loaded.parameterCount) parameters)"
    }
}
