import BasinAnalysis
import BasinCheckpoint
import BasinTraining
import Foundation

/// The range test's points and the bounds the demo takes from them.
struct DemoRangeTest {
    private struct Record: Decodable {
        var points: [RangeTestPoint]
        var suggestions: [LearningRateSuggestion]
    }

    var points: [RangeTestPoint]
    var suggestions: [LearningRateSuggestion]
    /// The rate at the smallest smoothed loss: where the loss stops falling and is about to
    /// rise, Smith's rule for the maximum of a cyclical schedule.
    var maximumLearningRate: Double

    init(folder: URL) throws {
        let url = folder.appendingPathComponent("lr-find.json")
        let record = try decodeJSON(Record.self, from: url)
        points = record.points
        suggestions = record.suggestions
        let finite = points.filter { $0.smoothedLoss.isFinite && $0.learningRate > 0 }
        guard let best = finite.min(by: { $0.smoothedLoss < $1.smoothedLoss }) else {
            throw DemoError.noSuggestion(url.path)
        }
        maximumLearningRate = best.learningRate
    }
}

/// Every analysis of the demo, read back from the files the subcommands wrote.
struct DemoResults {
    var rangeTest: DemoRangeTest
    var manifest: RunManifest
    var metrics: [[String: String]]
    var interpolations: [(pair: DemoPair, report: InterpolationReport)]
    var barriers: BarrierReport
    var trajectory: TrajectoryRecord

    init(plan: DemoPlan, pairs: [DemoPair], rangeTest: DemoRangeTest) throws {
        self.rangeTest = rangeTest
        manifest = try RunManifest(
            contentsOf: plan.run.appendingPathComponent(RunManifest.fileName))
        let metricsURL = plan.run.appendingPathComponent(MetricsLog.fileName)
        let table = try CSVTable.read(String(contentsOf: metricsURL, encoding: .utf8))
        metrics = table.rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(table.columns, row))
        }
        interpolations = try pairs.map { pair in
            (
                pair,
                try decodeJSON(
                    InterpolationReport.self,
                    from: plan.interpolationFolder(pair).appendingPathComponent("analysis.json"))
            )
        }
        barriers = try decodeJSON(
            BarrierReport.self, from: plan.barriersFolder.appendingPathComponent("analysis.json"))
        trajectory = try decodeJSON(
            TrajectoryRecord.self,
            from: plan.trajectoryFolder.appendingPathComponent("analysis.json"))
    }

    /// The numbers the summary is written from.
    var findings: DemoFindings {
        func pairFinding(_ pair: DemoPair, _ report: InterpolationReport) -> DemoFindings.Pair {
            let test = report.curves.filter { $0.split == "test" }
            var barriers: [InterpolationBatchNormMode: Double] = [:]
            for curve in test { barriers[curve.mode] = curve.lossBarrier.maximum.height }
            let reference = test.first { $0.mode == .reset } ?? test.first
            let negatives =
                report.curves.filter { $0.mode == .interp }
                .flatMap(\.points).map(\.negativeVarianceCount).max() ?? 0
            return DemoFindings.Pair(
                name: pair.label, barrierByMode: barriers,
                startLoss: reference?.lossBarrier.startValue ?? .nan,
                endLoss: reference?.lossBarrier.endValue ?? .nan,
                negativeVarianceCount: negatives)
        }
        let matrix = barriers.matrix
        let consecutive = matrix.pairs.filter { $0.second == $0.first + 1 }
        let curvature = trajectory.points.map { point -> (Double, Double) in
            guard let rate = point.learningRate else { return (.nan, .nan) }
            return (point.topEigenvalue.eigenvalue * rate / 2, point.momentum ?? 0)
        }
        return DemoFindings(
            cycleEndPairs: interpolations.filter { !$0.pair.isBranch }.map {
                pairFinding($0.pair, $0.report)
            },
            branchPair: interpolations.first { $0.pair.isBranch }.map {
                pairFinding($0.pair, $0.report)
            },
            normalizedDisagreements: consecutive.map(\.normalizedDisagreement),
            bestSingleError: matrix.individual.map(\.error).min() ?? .nan,
            ensembleError: matrix.ensembles.last?.error ?? .nan,
            curvatureRatios: curvature.map(\.0), momenta: curvature.map(\.1))
    }
}

/// Decodes a JSON file written by `JSONOutput`, NaN and infinities included.
func decodeJSON<Value: Decodable>(_ type: Value.Type, from url: URL) throws -> Value {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw CheckpointError.unreadableFile(path: url.path, reason: error.localizedDescription)
    }
    do {
        return try decoder.decode(type, from: data)
    } catch {
        throw AnalysisError.unusableInput("\(url.path) is not the expected JSON: \(error)")
    }
}
