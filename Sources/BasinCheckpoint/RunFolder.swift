import Foundation

/// The file names of a run folder (`checkpoints/RUN/`).
///
/// ```
/// run.json                       manifest
/// init.safetensors               weights before the first step
/// cycle-001.safetensors, …       weights at the end of each cycle
/// snapshot-000500.safetensors    weights after 500 steps
/// final.safetensors              weights at the end
/// final.optimizer.safetensors    optimizer and generator state beside a checkpoint
/// ```
public enum RunFileName {
    public static let manifest = RunManifest.fileName

    /// `init.safetensors`, `final.safetensors`, `cycle-003.safetensors` (three digits, more
    /// when needed) or `snapshot-000500.safetensors` (six digits of the iteration).
    /// - Precondition: a cycle checkpoint has a cycle ≥ 0, a snapshot an iteration ≥ 0.
    public static func checkpoint(kind: CheckpointKind, cycle: Int? = nil, iteration: Int? = nil)
        -> String
    {
        switch kind {
        case .initial: return "init.safetensors"
        case .final: return "final.safetensors"
        case .cycle:
            precondition(
                (cycle ?? -1) >= 0, "a cycle checkpoint needs a cycle ≥ 0, got \(cycle as Any)")
            return "cycle-\(zeroPadded(cycle!, width: 3)).safetensors"
        case .snapshot:
            precondition(
                (iteration ?? -1) >= 0,
                "a snapshot checkpoint needs an iteration ≥ 0, got \(iteration as Any)")
            return "snapshot-\(zeroPadded(iteration!, width: 6)).safetensors"
        }
    }

    /// The optimizer-state file beside a checkpoint: `final.safetensors` gives
    /// `final.optimizer.safetensors`.
    public static func optimizerState(besideCheckpoint checkpoint: String) -> String {
        let stem =
            checkpoint.hasSuffix(".safetensors")
            ? String(checkpoint.dropLast(".safetensors".count)) : checkpoint
        return stem + ".optimizer.safetensors"
    }

    /// The cycle number of a name of the form `cycle-<digits>.safetensors`, else nil.
    public static func cycle(ofCheckpoint name: String) -> Int? {
        guard name.hasPrefix("cycle-"), name.hasSuffix(".safetensors") else { return nil }
        let digits = name.dropFirst("cycle-".count).dropLast(".safetensors".count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(digits)
    }

    private static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// One cycle-end checkpoint of a run.
public struct CycleCheckpointFile: Sendable, Equatable {
    public var cycle: Int
    public var url: URL

    public init(cycle: Int, url: URL) {
        self.cycle = cycle
        self.url = url
    }
}

/// The cycle-end checkpoints of the run in `runFolder`, in cycle order.
///
/// With a `run.json`, its cycle records are the list (the cycle from the record, else from
/// the file name), and each file must exist. Without one, the folder's files named
/// `cycle-<digits>.safetensors` are the list, ordered by number, not by name
/// (`cycle-1000` after `cycle-999`); `cycle-001.optimizer.safetensors` and other files are
/// ignored.
/// - Throws: `CheckpointError.unreadableFile` for a folder that cannot be listed,
///   `.malformedManifest`, `.missingCheckpoint` for a listed file that is absent, and
///   `.duplicateCycle` when two files claim one cycle.
public func cycleCheckpointFiles(in runFolder: URL) throws -> [CycleCheckpointFile] {
    let manifestURL = runFolder.appendingPathComponent(RunManifest.fileName)
    var found: [CycleCheckpointFile] = []
    if FileManager.default.fileExists(atPath: manifestURL.path) {
        let manifest = try RunManifest(contentsOf: manifestURL)
        for record in manifest.checkpoints where record.kind == .cycle {
            let url = runFolder.appendingPathComponent(record.file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CheckpointError.missingCheckpoint(path: url.path)
            }
            guard let cycle = record.cycle ?? RunFileName.cycle(ofCheckpoint: record.file) else {
                throw CheckpointError.malformedManifest(
                    path: manifestURL.path,
                    reason: "cycle checkpoint \(record.file) has no cycle number")
            }
            found.append(CycleCheckpointFile(cycle: cycle, url: url))
        }
    } else {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: runFolder.path)
        } catch {
            throw CheckpointError.unreadableFile(
                path: runFolder.path, reason: (error as NSError).localizedDescription)
        }
        for name in names {
            guard let cycle = RunFileName.cycle(ofCheckpoint: name) else { continue }
            found.append(
                CycleCheckpointFile(cycle: cycle, url: runFolder.appendingPathComponent(name)))
        }
    }
    found.sort { ($0.cycle, $0.url.lastPathComponent) < ($1.cycle, $1.url.lastPathComponent) }
    for (earlier, later) in zip(found, found.dropFirst()) where earlier.cycle == later.cycle {
        throw CheckpointError.duplicateCycle(
            path: runFolder.path, cycle: later.cycle,
            files: [earlier.url.lastPathComponent, later.url.lastPathComponent])
    }
    return found
}
