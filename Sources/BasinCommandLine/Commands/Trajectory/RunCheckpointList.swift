import BasinAnalysis
import BasinCheckpoint
import Foundation

/// One checkpoint of a run along the trajectory, with the schedule values it records.
struct TrajectoryEntry: Equatable {
    var url: URL
    var iteration: Int
    /// The learning rate and momentum of the last step taken before the checkpoint.
    var learningRate: Double?
    var momentum: Double?
    var weightDecay: Double?
}

/// The checkpoints of a run folder in iteration order, one per iteration.
///
/// With a `run.json` its records are the list; otherwise every `*.safetensors` file of the
/// folder except optimizer-state files, each read for its metadata `iteration`. When two
/// files share an iteration (the last cycle end and `final`), the first listed is kept.
/// - Throws: `CheckpointError` for an unreadable folder, manifest or file;
///   `AnalysisError.unusableInput` for a file without an iteration or a run with fewer
///   than one checkpoint.
func trajectoryEntries(in runFolder: URL) throws -> [TrajectoryEntry] {
    let manifestURL = runFolder.appendingPathComponent(RunManifest.fileName)
    var entries: [TrajectoryEntry] = []
    if FileManager.default.fileExists(atPath: manifestURL.path) {
        let manifest = try RunManifest(contentsOf: manifestURL)
        for record in manifest.checkpoints {
            let url = runFolder.appendingPathComponent(record.file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CheckpointError.missingCheckpoint(path: url.path)
            }
            let metadata = try Checkpoint(contentsOf: url).metadata
            entries.append(
                TrajectoryEntry(
                    url: url, iteration: record.iteration, learningRate: record.learningRate,
                    momentum: record.momentum, weightDecay: metadata.weightDecay))
        }
    } else {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: runFolder.path)
        } catch {
            throw CheckpointError.unreadableFile(
                path: runFolder.path, reason: (error as NSError).localizedDescription)
        }
        for name in names.sorted()
        where name.hasSuffix(".safetensors") && !name.hasSuffix(".optimizer.safetensors") {
            let url = runFolder.appendingPathComponent(name)
            let metadata = try Checkpoint(contentsOf: url).metadata
            guard let iteration = metadata.iteration else {
                throw AnalysisError.unusableInput(
                    "\(url.path): metadata has no iteration, which placing the checkpoint "
                        + "on the trajectory needs")
            }
            entries.append(
                TrajectoryEntry(
                    url: url, iteration: iteration, learningRate: metadata.learningRate,
                    momentum: metadata.momentum, weightDecay: metadata.weightDecay))
        }
    }
    var seen = Set<Int>()
    let unique = entries.sorted { $0.iteration < $1.iteration }.filter {
        seen.insert($0.iteration).inserted
    }
    guard !unique.isEmpty else {
        throw AnalysisError.unusableInput(
            "\(runFolder.path): no checkpoints (expected run.json or *.safetensors files)")
    }
    return unique
}

extension Array where Element == TrajectoryEntry {
    /// The learning rate and momentum of the step that *leaves* checkpoint `index`: those
    /// recorded by the next checkpoint when it is one iteration later, else the
    /// checkpoint's own (the step before it; a schedule moves little in one step).
    func stepLeaving(_ index: Int) -> (learningRate: Double?, momentum: Double?) {
        if index + 1 < count, self[index + 1].iteration == self[index].iteration + 1 {
            return (self[index + 1].learningRate, self[index + 1].momentum)
        }
        return (
            self[index].learningRate ?? (index + 1 < count ? self[index + 1].learningRate : nil),
            self[index].momentum ?? (index + 1 < count ? self[index + 1].momentum : nil)
        )
    }
}
