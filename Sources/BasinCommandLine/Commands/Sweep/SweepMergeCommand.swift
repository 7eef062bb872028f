import BasinAnalysis
import Foundation

/// `basin sweep merge`: the folders of one sweep's shards combined into one.
struct SweepMergeCommand: Command {
    static let configuration = CommandConfiguration(
        name: "merge",
        abstract: "Combine the folders of a sweep's shards into one result and report.",
        discussion: """
            Reads sweep.json and points/*.json of every DIR, checks that they belong to
            the same sweep (the same identity: the grid and every other setting), and
            writes the union of the points, ordered by point index whatever the order of
            the folders, with curves.csv, summary.csv and the report into --out. Folders
            of different sweeps, or two different results for one point, are refused.
            Points that no shard finished are listed as missing in the report.
            """,
        examples: [
            "basin sweep merge sweeps/shard-1 sweeps/shard-2 --out sweeps/all"
        ])

    let folders = VariadicArgument<URL>("DIR", help: "The sweep folders to combine.")
    let output = Option<URL>(
        "--out", valueName: "DIR", help: "Folder of the merged sweep (created or replaced).")

    func run(_ context: CommandContext) throws {
        let inputs = try context[folders].map(SweepFolder.existing)
        let manifest = inputs[0].manifest
        if let other = inputs.first(where: { $0.manifest.identity != manifest.identity }) {
            throw UsageError.conflict(
                "\(other.url.relativePath) holds sweep \(other.manifest.identity), "
                    + "\(inputs[0].url.relativePath) sweep \(manifest.identity): "
                    + "only shards of one sweep can be merged")
        }
        let results = try SweepPointResult.merged(try inputs.map { try $0.readResults() })
        let target = context[output]
        let targetManifest = target.appendingPathComponent(SweepManifest.fileName)
        if FileManager.default.fileExists(atPath: targetManifest.path) {
            try? FileManager.default.removeItem(at: target.appendingPathComponent("points"))
        }
        let merged = try SweepFolder.open(target, manifest: manifest)
        for result in results { try merged.write(result) }
        try SweepReportWriter(
            manifest: manifest, results: results, commandLine: context.commandLine
        ).write(to: target)
        context.standardOutput.write(
            "merged \(inputs.count) folders: \(results.count) of \(manifest.pointCount) points "
                + "in \(target.relativePath)\n")
    }
}
