import Foundation

/// A seedable random number generator: xoshiro256** seeded through SplitMix64.
///
/// Every function in Basin that samples takes one of these `inout`; one `--seed` feeds
/// them all, so a run is reproduced exactly by its seed. The state is four words and can
/// be saved and restored (`state`) for bit-identical resumption.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    public var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.state == rhs.state
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A new generator whose stream is independent of this one's, derived from it and
    /// `stream`; this generator does not advance.
    public func derived(stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: state.0 ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ rotateLeft(state.2, 17))
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal sample by the Box–Muller transform (one of the pair is used,
    /// so the stream position depends only on the number of calls).
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextUnitDouble()  // in (0, 1], so log is finite
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// +1 or −1 with equal probability (a Rademacher sample).
    public mutating func nextSign() -> Float {
        (next() >> 63) == 0 ? 1 : -1
    }

    /// Uniform integer in `0..<upperBound`.
    public mutating func nextIndex(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "nextIndex(below:) needs a positive bound, got \(upperBound)")
        return Int(next(upperBound: UInt64(upperBound)))
    }
}

@inline(__always)
private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
}
