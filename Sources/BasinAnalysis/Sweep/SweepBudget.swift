import BasinTraining
import Foundation

/// How long each point of a sweep trains: `3ep` (epochs), `500` (iterations) or `60s`
/// (seconds of training, evaluations excluded).
///
/// Epochs are converted with each point's own iterations per epoch, ⌊N/B⌋, so points of
/// different batch sizes see the same number of images. Smith (2018, §4.2) compares batch
/// sizes at equal wall-clock time instead; a seconds budget does that. A seconds budget
/// stops between evaluation periods once the training time reaches it, so the last period
/// may overshoot by up to one period.
public enum SweepBudget: Equatable, Codable, Sendable, CustomStringConvertible {
    case epochs(Double)
    case iterations(Int)
    case seconds(Double)

    /// Parses `3ep`, `0.5ep`, `500` or `60s`.
    public init(parsing text: String) throws(AnalysisError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expected = "epochs (3ep), iterations (500) or seconds (60s)"
        if trimmed.hasSuffix("ep"), let value = Double(trimmed.dropLast(2)), value > 0,
            value.isFinite
        {
            self = .epochs(value)
        } else if trimmed.hasSuffix("s"), let value = Double(trimmed.dropLast()), value > 0,
            value.isFinite
        {
            self = .seconds(value)
        } else if let value = Int(trimmed), value > 0 {
            self = .iterations(value)
        } else {
            throw .invalidArgument("--budget expects \(expected); got '\(text)'")
        }
    }

    /// The text that parses back to this budget.
    public var description: String {
        switch self {
        case .epochs(let value): "\(formatSweepValue(value))ep"
        case .iterations(let value): "\(value)"
        case .seconds(let value): "\(formatSweepValue(value))s"
        }
    }

    /// In words, for the report.
    public var explanation: String {
        switch self {
        case .epochs(let value):
            "\(formatSweepValue(value)) epochs per point (equal numbers of images)"
        case .iterations(let value): "\(value) iterations per point (equal numbers of steps)"
        case .seconds(let value):
            "\(formatSweepValue(value)) seconds of training per point (equal wall-clock time)"
        }
    }

    /// The steps of a point with `iterationsPerEpoch` steps per epoch; nil for a seconds
    /// budget, whose length is the schedule's.
    public func iterationCount(iterationsPerEpoch: Int) -> Int? {
        switch self {
        case .epochs(let value): max(1, Int((value * Double(iterationsPerEpoch)).rounded()))
        case .iterations(let value): value
        case .seconds: nil
        }
    }

    /// The training time limit, for a seconds budget.
    public var seconds: Double? {
        if case .seconds(let value) = self { return value }
        return nil
    }
}

/// The longest run a seconds budget may take when the schedule sets no length of its own
/// (constant, CLR, step decay): the trainer tabulates the schedule for every step.
public let sweepOpenEndedIterationLimit = 200_000

extension Schedule {
    /// The schedule with a point's values put in: `max_lr` replaces the maximum rate (the
    /// `max` key of cyclical, one-cycle and SGDR schedules, `lr` of constant and step
    /// schedules, `end` of a range-test ramp); `momentum` replaces the momentum by that
    /// constant, which for one-cycle and CLR switches the cyclical momentum off.
    ///
    /// - Throws: `AnalysisError.invalidArgument` when the new values do not make a valid
    ///   schedule (a CLR maximum below its base rate).
    public func overriding(maximumLearningRate: Double?, momentum: Double?) throws(AnalysisError)
        -> Schedule
    {
        guard maximumLearningRate != nil || momentum != nil else { return self }
        let text = specification
        guard let colon = text.firstIndex(of: ":") else { return self }
        let kind = String(text[..<colon])
        let rateKey: String
        switch kind {
        case "constant", "step", "multistep": rateKey = "lr"
        case "linear-ramp", "exp-ramp": rateKey = "end"
        default: rateKey = "max"
        }
        var fields = text[text.index(after: colon)...].split(separator: ",").map(String.init)
        func set(_ key: String, _ value: Double) {
            let field = "\(key)=\(value)"
            if let index = fields.firstIndex(where: { $0.hasPrefix(key + "=") }) {
                fields[index] = field
            } else {
                fields.append(field)
            }
        }
        if let maximumLearningRate { set(rateKey, maximumLearningRate) }
        if let momentum { set("momentum", momentum) }
        let changed = kind + ":" + fields.joined(separator: ",")
        do {
            return try Schedule(parsing: changed)
        } catch {
            throw .invalidArgument(
                "the sweep's values make an invalid schedule '\(changed)': \(error)")
        }
    }
}
