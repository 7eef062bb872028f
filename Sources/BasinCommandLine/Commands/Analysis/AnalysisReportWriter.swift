import BasinAnalysis
import BasinCheckpoint
import BasinReport
import Foundation

/// Writes a report as `report.md` with its SVG figures beside it and as a self-contained
/// `report.html`, and builds the provenance block every analysis report starts with.
enum AnalysisReportWriter {
    static func write(_ report: Report, to folder: URL) throws {
        let markdown = report.markdown()
        for file in markdown.files {
            try writeAtomically(file.contents, to: folder.appendingPathComponent(file.relativePath))
        }
        try writeAtomically(markdown.text, to: folder.appendingPathComponent("report.md"))
        try writeAtomically(report.html(), to: folder.appendingPathComponent("report.html"))
    }

    /// Tool, command line, seed, data, model, date and machine of this run.
    static func provenance(
        context: CommandContext, data: AnalysisDataRecord, model: String, extra: [ReportField]
    ) -> Provenance {
        let splits = data.splits.map { "\($0.name) \($0.exampleCount)" }.joined(separator: ", ")
        return Provenance(
            toolVersion: "basin \(BasinCommandLine.version)",
            commandLine: (["basin"] + context.arguments).joined(separator: " "),
            seed: String(data.seed),
            dataSet: "\(data.dataset) (\(splits); normalisation from the "
                + "\(data.normalizationSource))",
            model: model, date: utcTimestamp(),
            machine: "\(ProcessInfo.processInfo.activeProcessorCount) cores",
            extra: extra)
    }
}
