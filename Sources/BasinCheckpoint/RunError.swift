/// Why a run folder cannot be created, resumed or turned back into a model. Each message
/// names the folder or file, what was expected and what was found, and where there is one,
/// the flag that fixes it.
public enum RunError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A new run would overwrite an existing folder.
    case folderExists(path: String)
    /// No checkpoint of the run has a saved training state beside it.
    case nothingToResume(path: String)
    /// A checkpoint does not say which model it holds, and no flag said it either.
    case missingModelDescription(path: String, field: String, flag: String)
    /// A checkpoint names an architecture Basin does not have.
    case unknownArchitecture(path: String, name: String, known: [String])
    /// A line of `metrics.csv` that is not one Basin writes.
    case malformedMetrics(path: String, line: Int, text: String)
    /// A saved training state that does not fit the run (wrong sizes, wrong position).
    case incompatibleState(path: String, reason: String)

    public var description: String {
        switch self {
        case .folderExists(let path):
            return "run folder \(path) already exists; pass --force to overwrite it, "
                + "--resume \(path) to continue it, or --name/--out for another folder"
        case .nothingToResume(let path):
            return "cannot resume \(path): no checkpoint there has a training state beside it "
                + "(*.optimizer.safetensors)"
        case .missingModelDescription(let path, let field, let flag):
            return "checkpoint \(path) does not record its \(field); pass \(flag)"
        case .unknownArchitecture(let path, let name, let known):
            return "checkpoint \(path): architecture '\(name)' is unknown; expected one of "
                + known.joined(separator: ", ")
        case .malformedMetrics(let path, let line, let text):
            return "\(path), line \(line): expected a metrics row of Basin's, found '\(text)'"
        case .incompatibleState(let path, let reason):
            return "training state \(path) does not fit this run: \(reason)"
        }
    }
}
