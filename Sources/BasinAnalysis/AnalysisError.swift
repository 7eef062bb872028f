/// Bad input to an analysis: a flag, a checkpoint pair or a data set that does not fit.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    /// A command-line value that cannot be used; the message names the flag.
    case invalidArgument(String)
    /// Two checkpoints that are not the same model; the message names both files.
    case mismatchedModels(String)
    /// Checkpoints or data that cannot be analysed as asked.
    case unusableInput(String)

    public var description: String {
        switch self {
        case .invalidArgument(let message), .mismatchedModels(let message),
            .unusableInput(let message):
            message
        }
    }
}
