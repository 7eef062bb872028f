/// The `basin` program: parses the command line, runs the command and turns its outcome
/// into text and an exit status.
public enum BasinCommandLine {
    /// The version of Basin, printed by `basin --version` and recorded in outputs.
    public static let version = "0.1.0"

    /// Runs the program with `arguments` (the first is the program name) on the process's
    /// standard streams and returns the exit status: 0 success, 1 runtime failure,
    /// 2 bad usage.
    public static func main(_ arguments: [String]) -> Int32 {
        main(arguments, standardOutput: .standardOutput, standardError: .standardError)
    }

    /// `main(_:)` with the streams, the program and the clock given, for tests.
    ///
    /// - Parameters:
    ///   - program: the commands to offer; tests pass test-only ones.
    ///   - clock: seconds on a monotonic clock, for progress rates.
    public static func main(
        _ arguments: [String], program: Program = .basin, standardOutput: TextWriter,
        standardError: TextWriter, clock: @escaping () -> Double = monotonicSeconds
    ) -> Int32 {
        let words = Array(arguments.dropFirst())
        let invocation: Invocation
        do {
            invocation = try CommandLineParser(program: program).parse(words)
        } catch let failure as ParseFailure {
            reportUsageError(failure.error, path: failure.path, program: program, standardError)
            return ExitStatus.usage.rawValue
        } catch {
            preconditionFailure("the parser throws only ParseFailure, got \(error)")
        }

        switch invocation.action {
        case .help:
            standardOutput.write(HelpFormatter(program: program).help(for: invocation.path))
            return ExitStatus.success.rawValue
        case .version:
            standardOutput.write(versionLine(program))
            return ExitStatus.success.rawValue
        case .run(let values):
            let command = invocation.path.last!
            let context = CommandContext(
                program: program,
                commandName: CommandLineParser(program: program).commandName(invocation.path),
                arguments: words, standardOutput: standardOutput, standardError: standardError,
                progress: .forWriter(standardError, quiet: invocation.isQuiet, clock: clock),
                isQuiet: invocation.isQuiet, values: values)
            do {
                try command.init().run(context)
                context.progress.endLine()
                return ExitStatus.success.rawValue
            } catch let error as UsageError {
                context.progress.endLine()
                reportUsageError(error, path: invocation.path, program: program, standardError)
                return ExitStatus.usage.rawValue
            } catch {
                context.progress.endLine()
                standardError.write("\(program.name): error: \(describe(error))\n")
                return ExitStatus.failure.rawValue
            }
        }
    }

    /// `basin 0.1.0` and a newline.
    static func versionLine(_ program: Program) -> String {
        "\(program.name) \(program.version)\n"
    }

    /// The message, the usage line of the command concerned and where to read more.
    private static func reportUsageError(
        _ error: UsageError, path: [any Command.Type], program: Program,
        _ standardError: TextWriter
    ) {
        let formatter = HelpFormatter(program: program)
        let names = path.map { $0.configuration.name }.joined(separator: " ")
        let helpCommand = ([program.name, "help"] + (names.isEmpty ? [] : [names]))
            .joined(separator: " ")
        let lines =
            ["\(program.name): error: \(error)"] + formatter.usageLines(for: path)
            + ["Run '\(helpCommand)' for more."]
        standardError.write(lines.joined(separator: "\n") + "\n")
    }
}

/// The exit statuses of `basin`.
public enum ExitStatus: Int32 {
    /// The command did what was asked.
    case success = 0
    /// The command failed at run time: a missing or corrupt file, a diverged run.
    case failure = 1
    /// The command line was wrong: an unknown option, a value that does not parse.
    case usage = 2
}
