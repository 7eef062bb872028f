import BasinKernels

/// Shuffles `values` in place by the Fisher–Yates algorithm (Knuth's Algorithm P): for
/// i = n−1 down to 1, swap element i with element j drawn uniformly from 0…i. Each of the
/// n! orders is equally likely; n−1 draws of `nextIndex(below:)` are made.
public func seededShuffle<Element>(_ values: inout [Element], generator: inout SeededGenerator) {
    guard values.count > 1 else { return }
    values.withUnsafeMutableBufferPointer { buffer in
        for i in stride(from: buffer.count - 1, through: 1, by: -1) {
            let j = generator.nextIndex(below: i + 1)
            buffer.swapAt(i, j)
        }
    }
}

/// A uniformly random permutation of `0..<count`, by `seededShuffle` of the identity.
public func seededPermutation(count: Int, generator: inout SeededGenerator) -> [Int] {
    precondition(count >= 0, "permutation of a negative count \(count)")
    var order = Array(0..<count)
    seededShuffle(&order, generator: &generator)
    return order
}

/// The state of a `SeededGenerator` in a form that survives JSON exactly: its four words
/// as 16-digit hexadecimal strings (a JSON number would lose bits above 2^53 in most
/// readers).
public struct GeneratorState: Codable, Equatable, Sendable {
    public var words: [UInt64]

    public init(_ generator: SeededGenerator) {
        let state = generator.state
        words = [state.0, state.1, state.2, state.3]
    }

    /// A generator in exactly this state.
    public var generator: SeededGenerator {
        SeededGenerator(state: (words[0], words[1], words[2], words[3]))
    }

    public init(from decoder: Decoder) throws {
        let texts = try decoder.singleValueContainer().decode([String].self)
        let values = texts.compactMap { UInt64($0, radix: 16) }
        guard values.count == 4, texts.count == 4 else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected four hexadecimal words, found \(texts)"))
        }
        words = values
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(
            words.map { word in
                let digits = String(word, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            })
    }
}
