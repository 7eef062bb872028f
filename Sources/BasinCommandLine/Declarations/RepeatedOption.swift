/// An option that may be given any number of times; its values are kept in the order
/// given: `--vary wd=1e-4,5e-4 --vary lr=0.1,0.3` reads as two values.
///
///     let variations = RepeatedOption<String>(
///         "--vary", valueName: "KEY=VALUES", help: "A hyperparameter to vary.")
///     …
///     for variation in context[variations] { … }
///
/// Absent, it reads as the empty array.
public struct RepeatedOption<Value>: ArgumentDeclaration {
    let erased: ErasedDeclaration

    /// A repeatable option parsed by `parser`.
    public init(
        _ name: String, short: Character? = nil, valueName: String? = nil, help: String,
        parser: ValueParser<Value>
    ) {
        erased = ErasedDeclaration(
            kind: .repeatedOption, longName: checkedLongName(name),
            shortName: checkedShortName(short),
            valueName: valueName ?? derivedValueName(name), help: help,
            expectation: parser.expectation, choices: parser.choices,
            valueWhenAbsent: [Value](), defaultDescription: nil,
            parse: { try parser.parse($0) })
    }
}

extension RepeatedOption where Value: ArgumentValue {
    /// A repeatable option parsed by `Value.argumentParser`.
    public init(_ name: String, short: Character? = nil, valueName: String? = nil, help: String) {
        self.init(
            name, short: short, valueName: valueName, help: help, parser: Value.argumentParser)
    }
}
