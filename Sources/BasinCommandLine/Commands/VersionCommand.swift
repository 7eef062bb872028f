/// `basin version`: the version, as `basin --version` prints it.
struct VersionCommand: Command {
    static let configuration = CommandConfiguration(
        name: "version",
        abstract: "Print the version of basin.",
        discussion: """
            Prints the program's name and version on one line, the same as
            'basin --version'.
            """,
        examples: ["basin version"])

    func run(_ context: CommandContext) throws {
        context.standardOutput.write(BasinCommandLine.versionLine(context.program))
    }
}
