/// What the command line runs: the program's name, version, one-line summary and its
/// top-level commands. Tests make their own with test-only commands.
public struct Program {
    /// The name shown in usage lines and errors: `basin`.
    public var name: String
    public var version: String
    /// One line shown at the top of the program's help.
    public var summary: String
    public var commands: [any Command.Type]

    public init(name: String, version: String, summary: String, commands: [any Command.Type]) {
        self.name = name
        self.version = version
        self.summary = summary
        self.commands = commands
    }

    /// The `basin` program with every registered command.
    public static var basin: Program {
        Program(
            name: "basin", version: BasinCommandLine.version,
            summary: "a loss-landscape laboratory for cyclical learning rates",
            commands: CommandRegistry.commands)
    }
}
