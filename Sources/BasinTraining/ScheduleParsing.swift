import Foundation

extension Schedule {
    /// Reads a specification such as `clr:mode=triangular,base=0.01,max=0.1,step=2ep`.
    ///
    /// Lengths are iterations (`2000`) or epochs (`2ep`, `0.5ep`, rounded to the nearest
    /// iteration) converted with `iterationsPerEpoch`. `scheduleHelpText` lists every kind
    /// and key with its default.
    /// - Throws: `ScheduleError` naming the kind and key at fault.
    public init(parsing text: String, iterationsPerEpoch: Int? = nil) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw ScheduleError.missingKind(text: text)
        }
        let kindName = trimmed[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        guard let kind = scheduleKinds.first(where: { $0.name == kindName }) else {
            if kindName.isEmpty { throw ScheduleError.missingKind(text: text) }
            throw ScheduleError.unknownKind(kindName, known: scheduleKinds.map(\.name))
        }
        let fields = try ScheduleFields(
            kind: kind, text: trimmed[trimmed.index(after: colon)...],
            iterationsPerEpoch: iterationsPerEpoch)
        self = try fields.makeSchedule()
    }
}

/// The `key=value` fields of one specification, with typed readers that throw
/// `ScheduleError`s naming the key.
struct ScheduleFields {
    let kind: ScheduleKindDescription
    let iterationsPerEpoch: Int?
    private var values: [String: String] = [:]

    init(kind: ScheduleKindDescription, text: Substring, iterationsPerEpoch: Int?) throws {
        self.kind = kind
        self.iterationsPerEpoch = iterationsPerEpoch
        let allowed = kind.keys.map(\.name)
        for field in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1)
            let name = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard parts.count == 2, !name.isEmpty else {
                throw ScheduleError.malformedField(kind: kind.name, field: String(field))
            }
            guard allowed.contains(name) else {
                throw ScheduleError.unknownKey(kind: kind.name, key: name, allowed: allowed)
            }
            guard values[name] == nil else {
                throw ScheduleError.duplicateKey(kind: kind.name, key: name)
            }
            values[name] = parts[1].trimmingCharacters(in: .whitespaces)
        }
    }

    func contains(_ key: String) -> Bool { values[key] != nil }

    private func invalid(_ key: String, _ value: String, _ expected: String) -> ScheduleError {
        .invalidValue(kind: kind.name, key: key, value: value, expected: expected)
    }

    private func required(_ key: String, _ expected: String) throws -> String {
        guard let value = values[key] else {
            throw ScheduleError.missingKey(kind: kind.name, key: key, expected: expected)
        }
        return value
    }

    /// A finite number in `range`, or `fallback` when absent (nil fallback: required).
    func number(
        _ key: String, default fallback: Double? = nil,
        in range: ClosedRange<Double> = allFiniteNumbers,
        expected: String = "a number"
    ) throws -> Double {
        guard values[key] != nil || fallback == nil else { return fallback! }
        let text = try required(key, expected)
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw invalid(key, text, expected)
        }
        return value
    }

    /// A learning rate: a finite number ≥ 0.
    func learningRate(_ key: String, default fallback: Double? = nil) throws -> Double {
        try number(
            key, default: fallback, in: 0...allFiniteNumbers.upperBound,
            expected: "a learning rate ≥ 0 such as 0.1 or 1e-3")
    }

    /// A positive factor such as `gamma` or `div`.
    func positiveNumber(_ key: String, default fallback: Double? = nil) throws -> Double {
        let value = try number(key, default: fallback, expected: "a positive number")
        guard value > 0 else { throw invalid(key, values[key] ?? "", "a positive number") }
        return value
    }

    /// An integer in `range`.
    func integer(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = values[key] else { return fallback }
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
        guard let value = Int(text), range.contains(value) else {
            throw invalid(key, text, expected)
        }
        return value
    }

    /// One of `choices`.
    func choice(_ key: String, default fallback: String, from choices: [String]) throws
        -> String
    {
        guard let text = values[key] else { return fallback }
        guard choices.contains(text) else {
            throw invalid(key, text, "one of " + choices.joined(separator: ", "))
        }
        return text
    }

    private static let lengthForm = "a LENGTH: iterations such as 2000 or epochs such as 2ep"

    /// A length of at least one iteration, written in iterations or epochs.
    func length(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard values[key] != nil || fallback == nil else { return fallback! }
        return try parseLength(key, try required(key, Self.lengthForm))
    }

    private func parseLength(_ key: String, _ text: String) throws -> Int {
        if text.hasSuffix("ep") {
            guard let epochs = Double(text.dropLast(2)), epochs.isFinite, epochs > 0 else {
                throw invalid(key, text, Self.lengthForm)
            }
            guard let perEpoch = iterationsPerEpoch else {
                throw ScheduleError.epochsWithoutIterationsPerEpoch(
                    kind: kind.name, key: key, value: text)
            }
            let iterations = (epochs * Double(perEpoch)).rounded()
            guard iterations >= 1, iterations < 1e15 else {
                throw invalid(key, text, "a LENGTH of at least one iteration")
            }
            return Int(iterations)
        }
        guard let iterations = Int(text), iterations >= 1 else {
            throw invalid(key, text, Self.lengthForm + ", at least 1")
        }
        return iterations
    }

    /// Lengths separated by `/`, strictly increasing.
    func lengths(_ key: String) throws -> [Int] {
        let text = try required(key, "increasing LENGTHs separated by '/'")
        let parsed = try text.split(separator: "/", omittingEmptySubsequences: false).map {
            try parseLength(key, String($0))
        }
        guard zip(parsed, parsed.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw invalid(key, text, "strictly increasing LENGTHs separated by '/'")
        }
        return parsed
    }

    /// `momentum=μ` (constant) or `momentum=START-PEAK`, each in [0, 1).
    func momentum(default fallback: (start: Double, peak: Double)) throws
        -> (start: Double, peak: Double)
    {
        guard let text = values["momentum"] else { return fallback }
        let expected = "a momentum in [0, 1) such as 0.9, or START-PEAK such as 0.95-0.85"
        let parts = splitRange(text)
        let numbers = parts.compactMap { Double($0) }.filter { $0 >= 0 && $0 < 1 }
        guard (1...2).contains(parts.count), numbers.count == parts.count else {
            throw invalid("momentum", text, expected)
        }
        return (numbers[0], numbers.last!)
    }

    /// Splits `a-b` at a minus sign that is not an exponent's (`1e-3-2e-3`).
    private func splitRange(_ text: String) -> [String] {
        let characters = Array(text)
        for index in characters.indices where characters[index] == "-" && index > 0 {
            if "eE".contains(characters[index - 1]) { continue }
            return [String(characters[..<index]), String(characters[(index + 1)...])]
        }
        return [text]
    }

    func invalidCombination(_ key: String, _ expected: String) -> ScheduleError {
        invalid(key, values[key] ?? "", expected)
    }
}

/// Every finite Double.
private let allFiniteNumbers = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
