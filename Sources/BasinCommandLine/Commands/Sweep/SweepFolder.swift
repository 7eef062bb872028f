import BasinAnalysis
import BasinCheckpoint
import Foundation

/// `sweep.json`: what a sweep folder holds results of.
struct SweepManifest: Codable, Equatable {
    static let fileName = "sweep.json"

    /// `SweepIdentity` of `settings`; shards of one sweep share it.
    var identity: String
    /// The grid and every other setting, flag-style names (`weight_decay`, `schedule`).
    var settings: [String: String]
    var grid: SweepGrid
    var budget: SweepBudget
    var pointCount: Int
    /// Whether the schedule is an LR range test (curves are also drawn against the rate).
    var isRangeTest: Bool
    var dataset: String
    var trainingExampleCount: Int
}

/// A folder of sweep results: `sweep.json` and `points/NAME.json`, one per finished point.
struct SweepFolder {
    let url: URL
    let manifest: SweepManifest

    var pointsURL: URL { url.appendingPathComponent("points") }

    /// Opens `url` for `manifest`, creating it, or checking that the sweep it already
    /// holds is the same one.
    /// - Throws: `UsageError.conflict` when the folder holds another sweep.
    static func open(_ url: URL, manifest: SweepManifest) throws -> SweepFolder {
        let manifestURL = url.appendingPathComponent(SweepManifest.fileName)
        if FileManager.default.fileExists(atPath: manifestURL.path) {
            let existing = try read(manifestURL)
            guard existing.identity == manifest.identity else {
                throw UsageError.conflict(
                    "\(url.relativePath) holds another sweep (identity \(existing.identity), "
                        + "this one is \(manifest.identity)); choose another --out")
            }
        } else {
            try FileManager.default.createDirectory(
                at: url.appendingPathComponent("points"), withIntermediateDirectories: true)
            try writeAtomically(
                try JSONOutput.data(manifest),
                to: url.appendingPathComponent(SweepManifest.fileName))
        }
        return SweepFolder(url: url, manifest: manifest)
    }

    /// Reads an existing folder.
    static func existing(_ url: URL) throws -> SweepFolder {
        SweepFolder(
            url: url, manifest: try read(url.appendingPathComponent(SweepManifest.fileName)))
    }

    /// Whether `point` has a finished result of this sweep.
    func hasResult(for point: SweepPoint) -> Bool {
        let file = pointsURL.appendingPathComponent(SweepPointResult.fileName(point))
        guard let result = try? Self.decode(SweepPointResult.self, from: file) else {
            return false
        }
        return result.sweepIdentity == manifest.identity && result.point == point
    }

    func write(_ result: SweepPointResult) throws {
        try FileManager.default.createDirectory(at: pointsURL, withIntermediateDirectories: true)
        try writeAtomically(
            try JSONOutput.data(result),
            to: pointsURL.appendingPathComponent(SweepPointResult.fileName(result.point)))
    }

    /// Every result in `points/`, in point order.
    /// - Throws: `AnalysisError.unusableInput` for a result of another sweep.
    func readResults() throws -> [SweepPointResult] {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: pointsURL.path)) ?? []
        let results = try names.filter { $0.hasSuffix(".json") }.sorted().map {
            try Self.decode(SweepPointResult.self, from: pointsURL.appendingPathComponent($0))
        }
        if let stranger = results.first(where: { $0.sweepIdentity != manifest.identity }) {
            throw AnalysisError.unusableInput(
                "\(pointsURL.path)/\(SweepPointResult.fileName(stranger.point)) belongs to "
                    + "sweep \(stranger.sweepIdentity), the folder to \(manifest.identity)")
        }
        return results.sorted { $0.point.index < $1.point.index }
    }

    private static func read(_ url: URL) throws -> SweepManifest {
        try decode(SweepManifest.self, from: url)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from url: URL) throws -> Value {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return try decoder.decode(type, from: try Data(contentsOf: url))
        } catch let error as DecodingError {
            throw AnalysisError.unusableInput("\(url.path) is not a sweep file: \(error)")
        }
    }
}
