/// What a running command gets: its parsed values, where to write, and how to show
/// progress.
///
/// Values are read by subscripting with the command's own declarations:
/// `context[learningRate]` is a `Double` for an `Option<Double>`, `context[json]` a `Bool`
/// for a `Flag`, `context[checkpoints]` an array for a `VariadicArgument`.
public struct CommandContext {
    /// The program being run; `help` reads its commands.
    public let program: Program
    /// The full command name as typed: `basin train`, `basin sweep merge`.
    public let commandName: String
    /// Every word of the command line after the program name, as given; worth recording
    /// in a run's manifest so the run can be repeated.
    public let arguments: [String]
    /// Results: tables, JSON, paths of written files.
    public let standardOutput: TextWriter
    /// Notes and warnings; errors are printed by the program, not by commands.
    public let standardError: TextWriter
    /// Progress of long work, on standard error; silent with `--quiet`.
    public let progress: ProgressReporter
    /// Whether `--quiet` was given.
    public let isQuiet: Bool
    let values: ParsedValues

    init(
        program: Program, commandName: String, arguments: [String], standardOutput: TextWriter,
        standardError: TextWriter, progress: ProgressReporter, isQuiet: Bool,
        values: ParsedValues
    ) {
        self.program = program
        self.commandName = commandName
        self.arguments = arguments
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.progress = progress
        self.isQuiet = isQuiet
        self.values = values
    }

    public subscript<Value>(option: Option<Value>) -> Value {
        values.value(of: option.erased, as: Value.self)
    }

    public subscript(flag: Flag) -> Bool {
        values.value(of: flag.erased, as: Bool.self)
    }

    public subscript<Value>(option: RepeatedOption<Value>) -> [Value] {
        values.value(of: option.erased, as: [Any].self).map { $0 as! Value }
    }

    public subscript<Value>(argument: Argument<Value>) -> Value {
        values.value(of: argument.erased, as: Value.self)
    }

    public subscript<Value>(argument: VariadicArgument<Value>) -> [Value] {
        values.value(of: argument.erased, as: [Any].self).map { $0 as! Value }
    }

    /// Whether `option` was typed on the command line, as opposed to taking its default;
    /// for options whose default depends on other inputs (a seed taken from a manifest
    /// unless given).
    public func wasGiven<Value>(_ option: Option<Value>) -> Bool {
        values.givenKeys.contains(option.erased.key)
    }
}
