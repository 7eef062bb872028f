/// One positional value: `basin interpolate A B` has two. Positionals are matched in the
/// order the command declares them.
///
///     let first = Argument<URL>("A", help: "The checkpoint at α = 0.")
///     let output = Argument<URL>("OUT", default: URL(fileURLWithPath: "out"), help: "…")
///     let label = Argument<String?>("LABEL", help: "…")
///
/// A positional is required (no default), has a default, or is optional (`Value` is an
/// `Optional`). Required positionals come before the others; a programmer's mistake in
/// that order stops at a precondition when the command's signature is read.
public struct Argument<Value>: ArgumentDeclaration {
    let erased: ErasedDeclaration

    private init(
        valueName: String, help: String, parser: ValueParser<Value>, valueWhenAbsent: Value?,
        defaultDescription: String?
    ) {
        precondition(
            !valueName.isEmpty && !valueName.hasPrefix("-") && !valueName.contains(" "),
            "a positional's name is a word that does not start with '-', got '\(valueName)'")
        erased = ErasedDeclaration(
            kind: .argument, longName: nil, shortName: nil, valueName: valueName, help: help,
            expectation: parser.expectation, choices: parser.choices,
            valueWhenAbsent: valueWhenAbsent.map { $0 as Any },
            defaultDescription: defaultDescription, parse: { try parser.parse($0) })
    }

    /// A required positional parsed by `parser`.
    public init(_ valueName: String, help: String, parser: ValueParser<Value>) {
        self.init(
            valueName: valueName, help: help, parser: parser, valueWhenAbsent: nil,
            defaultDescription: nil)
    }

    /// A positional with a default, parsed by `parser`.
    public init(
        _ valueName: String, default defaultValue: Value, help: String,
        parser: ValueParser<Value>
    ) {
        self.init(
            valueName: valueName, help: help, parser: parser, valueWhenAbsent: defaultValue,
            defaultDescription: parser.format(defaultValue))
    }

    /// An optional positional parsed by `parser`; absent means `nil`.
    public init<Wrapped>(_ valueName: String, help: String, parser: ValueParser<Wrapped>)
    where Value == Wrapped? {
        let optionalParser = ValueParser<Wrapped?>(
            expectation: parser.expectation, choices: parser.choices,
            format: { $0.map(parser.format) ?? "" }, parse: { try parser.parse($0) })
        self.init(
            valueName: valueName, help: help, parser: optionalParser,
            valueWhenAbsent: .some(nil), defaultDescription: nil)
    }
}

extension Argument where Value: ArgumentValue {
    /// A required positional parsed by `Value.argumentParser`.
    public init(_ valueName: String, help: String) {
        self.init(valueName, help: help, parser: Value.argumentParser)
    }

    /// A positional with a default, parsed by `Value.argumentParser`.
    public init(_ valueName: String, default defaultValue: Value, help: String) {
        self.init(valueName, default: defaultValue, help: help, parser: Value.argumentParser)
    }
}

extension Argument {
    /// An optional positional parsed by `Wrapped.argumentParser`; absent means `nil`.
    public init<Wrapped: ArgumentValue>(_ valueName: String, help: String)
    where Value == Wrapped? {
        self.init(valueName, help: help, parser: Wrapped.argumentParser)
    }
}

/// All remaining positional values, in order: `basin barriers CHECKPOINT...`. It must be
/// the command's last positional.
///
///     let checkpoints = VariadicArgument<URL>(
///         "CHECKPOINT", minimumCount: 2, help: "Cycle-end checkpoints to compare.")
public struct VariadicArgument<Value>: ArgumentDeclaration {
    let erased: ErasedDeclaration

    /// - Parameter minimumCount: how many values are needed at least (0 makes the
    ///   positional optional).
    public init(
        _ valueName: String, minimumCount: Int = 1, help: String, parser: ValueParser<Value>
    ) {
        precondition(minimumCount >= 0, "minimumCount must be ≥ 0, got \(minimumCount)")
        precondition(
            !valueName.isEmpty && !valueName.hasPrefix("-") && !valueName.contains(" "),
            "a positional's name is a word that does not start with '-', got '\(valueName)'")
        var erased = ErasedDeclaration(
            kind: .variadicArgument, longName: nil, shortName: nil, valueName: valueName,
            help: help, expectation: parser.expectation, choices: parser.choices,
            valueWhenAbsent: minimumCount == 0 ? [Value]() : nil, defaultDescription: nil,
            parse: { try parser.parse($0) })
        erased.minimumCount = minimumCount
        self.erased = erased
    }
}

extension VariadicArgument where Value: ArgumentValue {
    /// A variadic positional parsed by `Value.argumentParser`.
    public init(_ valueName: String, minimumCount: Int = 1, help: String) {
        self.init(
            valueName, minimumCount: minimumCount, help: help, parser: Value.argumentParser)
    }
}
