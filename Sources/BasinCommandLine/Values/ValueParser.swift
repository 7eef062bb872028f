/// Turns the text of one command-line value into a typed value, and back into text for help.
///
/// A parser knows what a valid value looks like (`expectation`), so an error can say what
/// was expected beside what was found: `--alpha expects START:END:COUNT, e.g.
/// -0.5:1.5:41; got '3'`. Types that have one natural spelling conform to `ArgumentValue`
/// and bring their parser with them; anything else passes a parser to the declaration.
public struct ValueParser<Value> {
    /// What a valid value looks like, as a phrase: "a number", "one of sgd, adamw",
    /// "START:END:COUNT, e.g. -0.5:1.5:41".
    public var expectation: String
    /// The complete list of accepted spellings when the set is closed (enumerations);
    /// help lists them. Nil for open sets.
    public var choices: [String]?
    private let parseText: (String) throws -> Value
    private let formatValue: (Value) -> String

    /// A parser from a closure that returns the value or throws `InvalidValue` (with a
    /// reason when there is more to say than the expectation).
    ///
    /// - Parameter format: writes a value back as it would be typed; used to show defaults.
    public init(
        expectation: String, choices: [String]? = nil,
        format: @escaping (Value) -> String = { String(describing: $0) },
        parse: @escaping (String) throws -> Value
    ) {
        self.expectation = expectation
        self.choices = choices
        self.parseText = parse
        self.formatValue = format
    }

    /// The value that `text` spells; throws `InvalidValue` when it spells none.
    public func parse(_ text: String) throws -> Value {
        try parseText(text)
    }

    /// `value` written as it would be typed on the command line.
    public func format(_ value: Value) -> String {
        formatValue(value)
    }

    /// A parser that parses with `self`, then accepts the value only when `isValid` holds.
    ///
    /// `ValueParser<Int>.integer.checked("a positive integer", reason: "must be at least
    /// 1") { $0 >= 1 }` rejects `0` with "expects a positive integer; got '0' (must be at
    /// least 1)".
    public func checked(
        _ expectation: String, reason: String? = nil, _ isValid: @escaping (Value) -> Bool
    ) -> ValueParser<Value> {
        let base = self
        return ValueParser(expectation: expectation, choices: choices, format: formatValue) {
            let value = try base.parse($0)
            guard isValid(value) else { throw InvalidValue(reason) }
            return value
        }
    }
}

/// Thrown by a `ValueParser` that rejects its text. The command line turns it into
/// `UsageError.invalidValue`, which names the flag, the expectation and the text.
public struct InvalidValue: Error, Equatable {
    /// What is wrong beyond "not what was expected", or nil.
    public var reason: String?

    public init(_ reason: String? = nil) {
        self.reason = reason
    }
}

extension ValueParser where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// Accepts exactly the raw values of `Value`'s cases, in declaration order.
    public static var cases: ValueParser<Value> {
        let spellings = Value.allCases.map(\.rawValue)
        return ValueParser(
            expectation: "one of " + spellings.joined(separator: ", "), choices: spellings,
            format: \.rawValue
        ) { text in
            guard let value = Value(rawValue: text) else { throw InvalidValue() }
            return value
        }
    }
}
