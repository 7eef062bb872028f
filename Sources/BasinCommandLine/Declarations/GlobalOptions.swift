/// The options every command accepts, anywhere on the command line: `--quiet` and
/// `--help`; and `--version`, accepted before the command name only.
enum GlobalOptions {
    static let quiet = Flag(
        "--quiet", short: "q", help: "Print no progress or notes on stderr; errors still print."
    ).erased
    static let help = Flag("--help", short: "h", help: "Show help and exit.").erased
    static let version = Flag("--version", help: "Print the version and exit.").erased

    /// The globals every command lists in its help.
    static let everywhere = [quiet, help]
    /// The globals the program's own help lists.
    static let atTop = [quiet, help, version]

    /// Names a command may not declare for itself.
    static let reservedNames = ["--quiet", "-q", "--help", "-h", "--version"]

    static func isHelp(_ token: String) -> Bool { token == "--help" || token == "-h" }
    static func isQuiet(_ token: String) -> Bool { token == "--quiet" || token == "-q" }
}
