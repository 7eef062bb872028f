import BasinData
import BasinKernels
import Foundation
import Testing

@Suite("seeded permutation")
struct PermutationTests {
    @Test("a permutation holds every index once, and the same seed gives the same one")
    func permutation() {
        var first = SeededGenerator(seed: 5)
        var second = SeededGenerator(seed: 5)
        let a = seededPermutation(count: 1000, generator: &first)
        let b = seededPermutation(count: 1000, generator: &second)
        #expect(a == b)
        #expect(a.sorted() == Array(0..<1000))
        #expect(a != Array(0..<1000))
        #expect(seededPermutation(count: 0, generator: &first) == [])
    }

    @Test("every order of three elements is about equally likely")
    func uniform() {
        var generator = SeededGenerator(seed: 9)
        var counts = [[Int]: Int]()
        for _ in 0..<6000 {
            counts[seededPermutation(count: 3, generator: &generator), default: 0] += 1
        }
        #expect(counts.count == 6)
        // Each count is Binomial(6000, 1/6): mean 1000, standard deviation 28.9;
        // ±150 is ±5.2σ.
        #expect(counts.values.allSatisfy { abs($0 - 1000) < 150 })
    }

    @Test("a generator state survives JSON exactly, as hexadecimal words")
    func generatorState() throws {
        var generator = SeededGenerator(seed: 123)
        _ = generator.next()
        let json = try JSONEncoder().encode(GeneratorState(generator))
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.split(separator: ",").count == 4 && text.contains("\""))
        var restored = try JSONDecoder().decode(GeneratorState.self, from: json).generator
        #expect(restored == generator)
        #expect(restored.next() == generator.next())
    }

    @Test("a malformed generator state fails to decode")
    func malformed() {
        let json = Data(#"["12", "zz", "1", "2"]"#.utf8)
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(GeneratorState.self, from: json)
        }
    }
}
