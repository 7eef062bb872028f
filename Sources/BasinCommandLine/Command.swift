/// One subcommand of `basin`: its name, its help, its options and what it does.
///
/// ## Adding a command
///
/// 1. Create `Sources/BasinCommandLine/Commands/NameCommand.swift` with one struct that
///    conforms to `Command`. Declare every option, flag and positional as a stored `let`
///    property with its name, value name, default and help text; the order of the
///    properties is the order in help. Help, usage lines and errors are generated from
///    these declarations, so they cannot drift from what the parser accepts.
/// 2. Read the parsed values in `run` with `context[property]`; write results to
///    `context.standardOutput` or to files (`writeAtomically`, `CSVTable`, `JSONOutput`),
///    progress through `context.progress`, and throw on failure: a `UsageError` for
///    values that parse but do not fit together (exit status 2), anything else for a
///    runtime failure (printed as `basin: error: <description>`, exit status 1).
/// 3. Add `NameCommand.self` to `CommandRegistry.commands`, one line.
///
///     struct ScaleCommand: Command {
///         static let configuration = CommandConfiguration(
///             name: "scale",
///             abstract: "Multiply numbers by a factor.",
///             discussion: "Prints each NUMBER times --factor, one per line.",
///             examples: ["basin scale --factor 2 1 2.5"])
///
///         let factor = Option<Double>("--factor", valueName: "X", default: 1, help: "…")
///         let json = Flag("--json", help: "Print a JSON array instead of lines.")
///         let numbers = VariadicArgument<Double>("NUMBER", help: "The numbers to scale.")
///
///         func run(_ context: CommandContext) throws {
///             let scaled = context[numbers].map { $0 * context[factor] }
///             if context[json] {
///                 context.standardOutput.write(try JSONOutput.text(scaled))
///             } else {
///                 for value in scaled { context.standardOutput.write("\(value)\n") }
///             }
///         }
///     }
///
/// Options that several commands share are declared once in an `OptionGroup` held as a
/// property. A command with subcommands (`basin sweep merge`) lists them in its
/// configuration, declares no options of its own and needs no `run`; each subcommand is
/// a command as above. A command is created with `init()` each time it runs, so it keeps
/// no state between runs. Snapshot tests record the help of every registered command:
/// after adding one, record them with `BASIN_RECORD_SNAPSHOTS=1 swift test --filter
/// BasinCommandLineTests` and commit the new files in Tests/BasinCommandLineTests/Snapshots.
public protocol Command {
    /// The name, help text and subcommands.
    static var configuration: CommandConfiguration { get }

    /// A command whose stored properties are its declarations. Structs whose properties
    /// all have initial values get this initializer for free.
    init()

    /// Does the work with the parsed values in `context`. Throws a `UsageError` for bad
    /// usage (exit status 2) and any other error for a runtime failure (exit status 1).
    func run(_ context: CommandContext) throws
}

extension Command {
    /// A command with subcommands is never run itself: the parser stops at a missing
    /// subcommand first. This default keeps such groups free of a `run` of their own.
    public func run(_ context: CommandContext) throws {
        throw UsageError.missingSubcommand(
            command: context.commandName,
            available: Self.configuration.subcommands.map { $0.configuration.name })
    }
}

/// The text and structure of a command, as help shows them.
public struct CommandConfiguration {
    /// The word typed after `basin` (or after the parent command): `train`, `merge`.
    public var name: String
    /// One line, a sentence ending with a period; shown in the list of commands.
    public var abstract: String
    /// Paragraphs that explain what the command does, what it reads and writes, and how
    /// to read its output; shown by `--help`. Lines are kept as written (wrap at 80).
    public var discussion: String
    /// Complete command lines that work as typed, shown under "examples:".
    public var examples: [String]
    /// The commands one level below, for groups such as `sweep`; empty for commands
    /// that run.
    public var subcommands: [any Command.Type]

    public init(
        name: String, abstract: String, discussion: String = "", examples: [String] = [],
        subcommands: [any Command.Type] = []
    ) {
        precondition(
            !name.isEmpty && !name.hasPrefix("-") && !name.contains(" "),
            "a command name is one word that does not start with '-', got '\(name)'")
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.examples = examples
        self.subcommands = subcommands
    }
}
