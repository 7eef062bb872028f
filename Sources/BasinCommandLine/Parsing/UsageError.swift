/// Bad usage of the command line: the program prints the message, the command's usage
/// line and where to find help, and exits with status 2.
///
/// Every message names the flag, positional or command at fault, says what was expected
/// and quotes what was found. The parser throws these; a command throws them too, from
/// `run`, for values that parse but do not fit together (`.conflict`) or that a parser
/// cannot judge alone (`.invalidValue` with a reason).
public enum UsageError: Error, Equatable, CustomStringConvertible {
    /// `basin trian`: no command of that name under `parent` (`basin`, `basin sweep`).
    case unknownCommand(String, parent: String, suggestion: String?)
    /// `basin sweep` alone: a group needs one of its subcommands.
    case missingSubcommand(command: String, available: [String])
    /// `basin train --lrr 0.1`: no such option; `suggestion` is the closest declared name.
    case unknownOption(String, command: String, suggestion: String?)
    /// `--lr` as the last word, or followed by another option.
    case missingValue(option: String, expected: String)
    /// `--lr fast`: the value does not parse, or a command rejected it.
    /// `option` is the flag (`--lr`) or the positional's name (`CHECKPOINT`).
    case invalidValue(option: String, expected: String, found: String, reason: String?)
    /// `--json=yes`: a flag takes no value.
    case flagWithValue(flag: String, found: String)
    /// `--lr 0.1 --lr 0.2`: a single-valued option given twice.
    case repeatedOption(option: String, first: String, second: String)
    /// A required option is absent; `synopsis` is how it is written (`--data PATH`).
    case missingOption(synopsis: String)
    /// A required positional is absent.
    case missingArgument(valueName: String)
    /// A variadic positional got fewer values than it needs.
    case tooFewArguments(valueName: String, minimumCount: Int, found: Int)
    /// A positional value the command has no place for.
    case unexpectedArgument(String, command: String)
    /// Values that parse one by one but not together; the message names them.
    case conflict(String)

    public var description: String {
        switch self {
        case .unknownCommand(let name, let parent, let suggestion):
            return "unknown command '\(name)' for '\(parent)'" + hint(suggestion)
        case .missingSubcommand(let command, let available):
            return "'\(command)' needs a command: " + available.joined(separator: ", ")
        case .unknownOption(let name, let command, let suggestion):
            return "unknown option '\(name)' for '\(command)'" + hint(suggestion)
        case .missingValue(let option, let expected):
            return "\(option) expects \(expected); got nothing"
        case .invalidValue(let option, let expected, let found, let reason):
            return "\(option) expects \(expected); got '\(found)'"
                + (reason.map { " (\($0))" } ?? "")
        case .flagWithValue(let flag, let found):
            return "\(flag) is a flag and takes no value; got '\(found)'"
        case .repeatedOption(let option, let first, let second):
            return "\(option) is given twice ('\(first)', then '\(second)'); give it once"
        case .missingOption(let synopsis):
            return "missing required option \(synopsis)"
        case .missingArgument(let valueName):
            return "missing \(valueName)"
        case .tooFewArguments(let valueName, let minimumCount, let found):
            let noun = minimumCount == 1 ? "value" : "values"
            return "\(valueName)... needs at least \(minimumCount) \(noun); got \(found)"
        case .unexpectedArgument(let value, let command):
            return "unexpected argument '\(value)' for '\(command)'"
        case .conflict(let message):
            return message
        }
    }

    private func hint(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}
