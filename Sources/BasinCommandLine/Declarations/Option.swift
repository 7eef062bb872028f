/// An option that takes one value: `--lr 0.1` or `--lr=0.1`, given at most once.
///
/// Declared as a stored property of a command and read in `run` with `context[property]`:
///
///     let learningRate = Option<Double>(
///         "--lr", valueName: "RATE", default: 0.1, help: "Peak learning rate.")
///     let output = Option<URL>("--output", short: "o", valueName: "PATH", help: "…")
///     let limit = Option<Int?>("--limit", valueName: "N", help: "…")
///
/// An option has a default (shown in help), is required (no default), or is optional
/// (`Value` is an `Optional`, absent means `nil`). Giving it twice is a usage error rather
/// than "the last wins", so a long command line never hides which value was used.
public struct Option<Value>: ArgumentDeclaration {
    let erased: ErasedDeclaration

    private init(
        name: String, short: Character?, valueName: String?, help: String,
        parser: ValueParser<Value>, valueWhenAbsent: Value?, defaultDescription: String?
    ) {
        erased = ErasedDeclaration(
            kind: .option, longName: checkedLongName(name), shortName: checkedShortName(short),
            valueName: valueName ?? derivedValueName(name), help: help,
            expectation: parser.expectation, choices: parser.choices,
            valueWhenAbsent: valueWhenAbsent.map { $0 as Any },
            defaultDescription: defaultDescription, parse: { try parser.parse($0) })
    }

    /// An option with a default value, parsed by `parser`.
    public init(
        _ name: String, short: Character? = nil, valueName: String? = nil,
        default defaultValue: Value, help: String, parser: ValueParser<Value>
    ) {
        self.init(
            name: name, short: short, valueName: valueName, help: help, parser: parser,
            valueWhenAbsent: defaultValue, defaultDescription: parser.format(defaultValue))
    }

    /// A required option, parsed by `parser`.
    public init(
        _ name: String, short: Character? = nil, valueName: String? = nil, help: String,
        parser: ValueParser<Value>
    ) {
        self.init(
            name: name, short: short, valueName: valueName, help: help, parser: parser,
            valueWhenAbsent: nil, defaultDescription: nil)
    }

    /// An optional option, parsed by `parser`; absent means `nil`.
    public init<Wrapped>(
        _ name: String, short: Character? = nil, valueName: String? = nil, help: String,
        parser: ValueParser<Wrapped>
    ) where Value == Wrapped? {
        let optionalParser = ValueParser<Wrapped?>(
            expectation: parser.expectation, choices: parser.choices,
            format: { $0.map(parser.format) ?? "" }, parse: { try parser.parse($0) })
        self.init(
            name: name, short: short, valueName: valueName, help: help,
            parser: optionalParser, valueWhenAbsent: .some(nil), defaultDescription: nil)
    }
}

extension Option where Value: ArgumentValue {
    /// An option with a default value, parsed by `Value.argumentParser`.
    public init(
        _ name: String, short: Character? = nil, valueName: String? = nil,
        default defaultValue: Value, help: String
    ) {
        self.init(
            name, short: short, valueName: valueName, default: defaultValue, help: help,
            parser: Value.argumentParser)
    }

    /// A required option, parsed by `Value.argumentParser`.
    public init(_ name: String, short: Character? = nil, valueName: String? = nil, help: String) {
        self.init(
            name, short: short, valueName: valueName, help: help, parser: Value.argumentParser)
    }
}

extension Option {
    /// An optional option, parsed by `Wrapped.argumentParser`; absent means `nil`.
    public init<Wrapped: ArgumentValue>(
        _ name: String, short: Character? = nil, valueName: String? = nil, help: String
    ) where Value == Wrapped? {
        self.init(
            name, short: short, valueName: valueName, help: help,
            parser: Wrapped.argumentParser)
    }
}
