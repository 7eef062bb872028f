/// What a command line asks for, once parsed.
struct Invocation {
    enum Action {
        /// Run the last command of the path with these values.
        case run(ParsedValues)
        /// Print the help of the path (the program's help when the path is empty).
        case help
        /// Print the version.
        case version
    }

    /// The commands named on the line, outermost first; empty for the program itself.
    var path: [any Command.Type]
    var action: Action
    var isQuiet: Bool
}

/// A usage error together with the command it concerns, so the usage line printed with
/// it is that command's.
// Command types are immutable metatypes, safe to share between threads.
struct ParseFailure: Error, @unchecked Sendable {
    var error: UsageError
    var path: [any Command.Type]
}

/// Parses the words of a command line (without the program name) for `program`.
///
/// The grammar: global options and command names first (`basin -q sweep merge`), then the
/// leaf command's options and positionals in any order. An option takes its value from
/// `--name=value` or from the next word, unless that word is itself an option (a word
/// starting with `-` that is not a negative number such as `-0.5`). `--` ends the options;
/// every word after it is positional. `--help` anywhere before `--` asks for help.
struct CommandLineParser {
    let program: Program

    func parse(_ words: [String]) throws -> Invocation {
        let helpRequested = words.prefix(while: { $0 != "--" }).contains(
            where: GlobalOptions.isHelp)
        var resolved = try resolveCommand(words, helpRequested: helpRequested)
        if resolved.asksForVersion {
            return Invocation(path: resolved.path, action: .version, isQuiet: resolved.isQuiet)
        }
        if helpRequested {
            return Invocation(path: resolved.path, action: .help, isQuiet: resolved.isQuiet)
        }
        do {
            let values = try parseValues(
                words[resolved.index...], signature: CommandSignature(of: resolved.path.last!),
                commandName: commandName(resolved.path), isQuiet: &resolved.isQuiet)
            return Invocation(path: resolved.path, action: .run(values), isQuiet: resolved.isQuiet)
        } catch let error as UsageError {
            throw ParseFailure(error: error, path: resolved.path)
        }
    }

    /// Where the command names end: the commands named, the index of the first word after
    /// them, and what the global options before that asked for.
    private struct Resolution {
        var path: [any Command.Type] = []
        var index = 0
        var isQuiet = false
        var asksForVersion = false
    }

    /// Walks down the command names, taking global options on the way, until a command
    /// without subcommands is reached. With help requested it may stop at a group.
    private func resolveCommand(_ words: [String], helpRequested: Bool) throws -> Resolution {
        var resolved = Resolution()
        var level = program.commands
        while !level.isEmpty {
            // Global options before the next command name.
            let name = commandName(resolved.path)
            while resolved.index < words.count,
                looksLikeOption(words[resolved.index]) || words[resolved.index] == "--"
            {
                let word = words[resolved.index]
                resolved.index += 1
                if GlobalOptions.isQuiet(word) {
                    resolved.isQuiet = true
                } else if word == "--version", resolved.path.isEmpty {
                    resolved.asksForVersion = true
                    return resolved
                } else if !GlobalOptions.isHelp(word) && word != "--" {
                    let known =
                        resolved.path.isEmpty ? GlobalOptions.atTop : GlobalOptions.everywhere
                    let suggestion = closestMatch(to: word, among: known.compactMap(\.longName))
                    throw ParseFailure(
                        error: .unknownOption(word, command: name, suggestion: suggestion),
                        path: resolved.path)
                }
            }

            // The command name itself.
            let names = level.map { $0.configuration.name }
            guard resolved.index < words.count else {
                if helpRequested { return resolved }
                throw ParseFailure(
                    error: .missingSubcommand(command: name, available: names),
                    path: resolved.path)
            }
            let word = words[resolved.index]
            guard let command = level.first(where: { $0.configuration.name == word }) else {
                throw ParseFailure(
                    error: .unknownCommand(
                        word, parent: name, suggestion: closestMatch(to: word, among: names)),
                    path: resolved.path)
            }
            resolved.path.append(command)
            resolved.index += 1
            level = command.configuration.subcommands
        }
        return resolved
    }

    /// `basin`, `basin train`, `basin sweep merge`.
    func commandName(_ path: [any Command.Type]) -> String {
        ([program.name] + path.map { $0.configuration.name }).joined(separator: " ")
    }

    /// Parses options and positionals of one command, then fills in defaults and checks
    /// that every required value is present.
    func parseValues(
        _ words: ArraySlice<String>, signature: CommandSignature, commandName: String,
        isQuiet: inout Bool
    ) throws -> ParsedValues {
        var values = ParsedValues()
        var givenText: [String: String] = [:]
        var positionalWords: [String] = []
        var index = words.startIndex

        // Options, flags and the positional words, in the order they come.
        while index < words.endIndex {
            let word = words[index]
            index += 1
            if word == "--" {
                positionalWords.append(contentsOf: words[index...])
                break
            }
            guard looksLikeOption(word) else {
                positionalWords.append(word)
                continue
            }
            let (name, inlineValue) = splitInlineValue(word)
            if GlobalOptions.isQuiet(name) || GlobalOptions.isHelp(name) {
                guard inlineValue == nil else {
                    throw UsageError.flagWithValue(flag: name, found: word)
                }
                if GlobalOptions.isQuiet(name) { isQuiet = true }
                continue
            }
            guard let declaration = signature.option(named: name) else {
                let names = signature.options.compactMap(\.longName) + ["--quiet", "--help"]
                throw UsageError.unknownOption(
                    name, command: commandName,
                    suggestion: closestMatch(to: name, among: names))
            }
            let key = declaration.key
            values.givenKeys.insert(key)
            if declaration.kind == .flag {
                guard inlineValue == nil else {
                    throw UsageError.flagWithValue(flag: declaration.displayName, found: word)
                }
                values.storage[key] = true
                continue
            }
            let text: String
            if let inlineValue {
                text = inlineValue
            } else if index < words.endIndex, !looksLikeOption(words[index]) {
                text = words[index]
                index += 1
            } else {
                throw UsageError.missingValue(
                    option: declaration.displayName, expected: declaration.expectation)
            }
            try store(text, for: declaration, into: &values, givenText: &givenText)
        }

        try assignPositionals(
            positionalWords, signature: signature, commandName: commandName, into: &values)
        try fillAbsentOptions(signature: signature, into: &values)
        return values
    }

    /// Parses the text of an option and keeps it: appended for a repeated option, set once
    /// for the others (`givenText` remembers the first text, to quote it when the option
    /// comes again).
    private func store(
        _ text: String, for declaration: ErasedDeclaration, into values: inout ParsedValues,
        givenText: inout [String: String]
    ) throws {
        let key = declaration.key
        let value = try parseValue(text, for: declaration)
        if declaration.kind == .repeatedOption {
            values.storage[key] = (values.storage[key] as? [Any] ?? []) + [value]
            return
        }
        if let first = givenText[key] {
            throw UsageError.repeatedOption(
                option: declaration.displayName, first: first, second: text)
        }
        givenText[key] = text
        values.storage[key] = value
    }

    /// Gives each positional word to the positionals in order; the variadic one takes the
    /// rest.
    private func assignPositionals(
        _ words: [String], signature: CommandSignature, commandName: String,
        into values: inout ParsedValues
    ) throws {
        var remaining = words[...]
        for positional in signature.positionals {
            let key = positional.key
            if positional.kind == .variadicArgument {
                guard remaining.count >= positional.minimumCount else {
                    if remaining.isEmpty && positional.minimumCount == 1 {
                        throw UsageError.missingArgument(valueName: positional.valueName)
                    }
                    throw UsageError.tooFewArguments(
                        valueName: positional.valueName,
                        minimumCount: positional.minimumCount, found: remaining.count)
                }
                values.storage[key] = try remaining.map { try parseValue($0, for: positional) }
                if !remaining.isEmpty { values.givenKeys.insert(key) }
                remaining = []
            } else if let word = remaining.popFirst() {
                values.storage[key] = try parseValue(word, for: positional)
                values.givenKeys.insert(key)
            } else if let absent = positional.valueWhenAbsent {
                values.storage[key] = absent
            } else {
                throw UsageError.missingArgument(valueName: positional.valueName)
            }
        }
        if let extra = remaining.first {
            throw UsageError.unexpectedArgument(extra, command: commandName)
        }
    }

    /// Gives absent options their defaults; a required one that is absent is an error.
    private func fillAbsentOptions(
        signature: CommandSignature, into values: inout ParsedValues
    ) throws {
        for option in signature.options where values.storage[option.key] == nil {
            guard let absent = option.valueWhenAbsent else {
                throw UsageError.missingOption(synopsis: option.synopsis)
            }
            values.storage[option.key] = absent
        }
    }

    private func parseValue(_ text: String, for declaration: ErasedDeclaration) throws -> Any {
        do {
            return try declaration.parse(text)
        } catch let error as InvalidValue {
            throw UsageError.invalidValue(
                option: declaration.displayName, expected: declaration.expectation,
                found: text, reason: error.reason)
        } catch {
            throw UsageError.invalidValue(
                option: declaration.displayName, expected: declaration.expectation,
                found: text, reason: describe(error))
        }
    }
}

/// Whether `word` is an option name rather than a value: it starts with `-`, is longer
/// than `-` alone (often meaning stdin or stdout), and is not a negative number or grid
/// such as `-0.5` or `-.5:1:3`.
func looksLikeOption(_ word: String) -> Bool {
    guard word.count >= 2, word.first == "-" else { return false }
    let second = word[word.index(after: word.startIndex)]
    return !(second.isASCII && (second.isNumber || second == "."))
}

/// `--lr=0.1` → (`--lr`, `0.1`); `--lr` → (`--lr`, nil). Only long names take `=`.
func splitInlineValue(_ word: String) -> (name: String, value: String?) {
    guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else {
        return (word, nil)
    }
    return (String(word[..<equals]), String(word[word.index(after: equals)...]))
}
