/// The untyped form of one declared option, flag or positional argument: what the parser
/// and the help formatter need, with the typed value boxed as `Any`.
///
/// Every public declaration type (`Option`, `Flag`, `RepeatedOption`, `Argument`,
/// `VariadicArgument`) produces one of these; nothing outside the module sees it.
struct ErasedDeclaration {
    enum Kind {
        /// `--name VALUE`, at most once.
        case option
        /// `--name`, present or not.
        case flag
        /// `--name VALUE`, any number of times, in order.
        case repeatedOption
        /// One positional value.
        case argument
        /// All remaining positional values; only the last positional may be variadic.
        case variadicArgument
    }

    var kind: Kind
    /// `--lr`; nil for positionals.
    var longName: String?
    /// `o` for `-o`; nil when there is none.
    var shortName: Character?
    /// `RATE` in `--lr RATE`, `CHECKPOINT` for a positional.
    var valueName: String
    var help: String
    /// What a valid value looks like, for errors: "a number".
    var expectation: String
    /// The accepted spellings of an enumeration, listed in help.
    var choices: [String]?
    /// The value used when the declaration is absent: the default, `nil` for an optional
    /// value (as `Optional<Wrapped>.none` boxed), `false` for a flag, `[]` for repeated
    /// ones. Nil means the declaration is required.
    var valueWhenAbsent: Any?
    /// The default as typed, for help; nil when there is none to show.
    var defaultDescription: String?
    /// For variadic arguments: how many values are needed at least.
    var minimumCount: Int = 0
    /// Parses one value's text; throws `InvalidValue`.
    var parse: (String) throws -> Any

    /// The key under which the parsed value is stored: the long name for options and
    /// flags, the value name for positionals. Unique within a command.
    var key: String { longName ?? valueName }

    var isPositional: Bool { kind == .argument || kind == .variadicArgument }
    var isRequired: Bool { valueWhenAbsent == nil }

    /// How the declaration is written in help and usage: `-o, --output PATH`, `--json`,
    /// `CHECKPOINT`, `CHECKPOINT...`.
    var synopsis: String {
        switch kind {
        case .flag:
            return names
        case .option, .repeatedOption:
            return names + " " + valueName
        case .argument:
            return valueName
        case .variadicArgument:
            return valueName + "..."
        }
    }

    /// The option's names, short first: `-o, --output`.
    var names: String {
        [shortName.map { "-\($0)" }, longName].compactMap { $0 }.joined(separator: ", ")
    }

    /// The name that errors quote: `--lr` for an option, `CHECKPOINT` for a positional.
    var displayName: String { longName ?? valueName }
}

/// A stored property of a command that declares one option, flag or positional argument.
/// The command's signature is the list of such properties, found by reflection in
/// declaration order.
protocol ArgumentDeclaration {
    var erased: ErasedDeclaration { get }
}

/// Checks the spelling of a long name; a wrong one is a programmer's mistake.
func checkedLongName(_ name: String) -> String {
    precondition(
        name.hasPrefix("--") && name.count > 2 && !name.contains("=")
            && !name.contains(" "),
        "an option name is '--' and a word without '=' or spaces, got '\(name)'")
    return name
}

/// Checks a short name: one ASCII letter, so that `-3` always reads as a number.
func checkedShortName(_ name: Character?) -> Character? {
    precondition(
        name.map { $0.isASCII && $0.isLetter } ?? true,
        "a short option name is one ASCII letter, got '\(name.map(String.init) ?? "")'")
    return name
}

/// The value name derived from a long name when the declaration gives none: `--lr` → `LR`.
func derivedValueName(_ name: String) -> String {
    String(name.drop(while: { $0 == "-" })).uppercased()
}
