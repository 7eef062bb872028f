/// A schedule specification that cannot be read. Each message names the schedule kind and
/// the key at fault, the form that was expected, and what was found.
public enum ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text was empty or had no `KIND:` prefix.
    case missingKind(text: String)
    /// The kind before the colon is not one Basin knows.
    case unknownKind(String, known: [String])
    /// A field is not of the form `key=value`.
    case malformedField(kind: String, field: String)
    /// A key the kind does not take.
    case unknownKey(kind: String, key: String, allowed: [String])
    /// The same key appeared twice.
    case duplicateKey(kind: String, key: String)
    /// A required key is absent.
    case missingKey(kind: String, key: String, expected: String)
    /// A value does not have the expected form or lies outside its range.
    case invalidValue(kind: String, key: String, value: String, expected: String)
    /// A length in epochs (`2ep`) was given without the number of iterations per epoch.
    case epochsWithoutIterationsPerEpoch(kind: String, key: String, value: String)

    public var description: String {
        switch self {
        case .missingKind(let text):
            return "schedule '\(text)': expected KIND:key=value,... with KIND one of "
                + scheduleKinds.map(\.name).joined(separator: ", ")
        case .unknownKind(let kind, let known):
            return "schedule kind '\(kind)' is unknown; expected one of "
                + known.joined(separator: ", ")
        case .malformedField(let kind, let field):
            return "schedule '\(kind)': field '\(field)' is not of the form key=value"
        case .unknownKey(let kind, let key, let allowed):
            return "schedule '\(kind)': unknown key '\(key)'; expected one of "
                + allowed.joined(separator: ", ")
        case .duplicateKey(let kind, let key):
            return "schedule '\(kind)': key '\(key)' is given more than once"
        case .missingKey(let kind, let key, let expected):
            return "schedule '\(kind)': key '\(key)' is required (\(expected))"
        case .invalidValue(let kind, let key, let value, let expected):
            return "schedule '\(kind)': key '\(key)' expects \(expected), found '\(value)'"
        case .epochsWithoutIterationsPerEpoch(let kind, let key, let value):
            return "schedule '\(kind)': key '\(key)' is given in epochs ('\(value)') but the "
                + "number of iterations per epoch is unknown; give it in iterations instead"
        }
    }
}
