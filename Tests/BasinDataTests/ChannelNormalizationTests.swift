import BasinData
import BasinTestSupport
import Foundation
import Testing

@Suite("channel normalisation")
struct ChannelNormalizationTests {
    /// Mean and population standard deviation of channel `channel`, pixel by pixel in
    /// Double with the two-pass formula.
    func directStatistics(_ split: DataSplit, channel: Int) -> (mean: Double, deviation: Double) {
        var values = [Double]()
        for example in 0..<split.count {
            let image = Array(split.image(at: example))
            let plane = image[
                (channel * split.shape.planeCount)..<((channel + 1) * split.shape.planeCount)]
            values.append(contentsOf: plane.map { Double($0) / 255 })
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot())
    }

    @Test("per-channel statistics match a direct two-pass computation")
    func matchesDirect() {
        let split = randomSplit(count: 23, shape: ImageShape(channels: 3, height: 5, width: 7))
        let normalization = ChannelNormalization(statisticsOf: split)
        let direct = (0..<3).map { directStatistics(split, channel: $0) }
        // Float rounding of the stored values: relative 1e-6.
        expectClose(
            normalization.mean, direct.map { Float($0.mean) }, absoluteTolerance: 0,
            relativeTolerance: 1e-6)
        expectClose(
            normalization.standardDeviation, direct.map { Float($0.deviation) },
            absoluteTolerance: 0, relativeTolerance: 1e-6)
    }

    @Test("channels with different contents get different statistics")
    func channelsSeparate() {
        // Channel 0 all 0, channel 1 alternating 0 and 255: means 0 and 1/2, deviations
        // 1 (a constant channel is only centred) and 1/2.
        let shape = ImageShape(channels: 2, height: 2, width: 2)
        let images: [UInt8] = [0, 0, 0, 0, 0, 255, 0, 255]
        let split = DataSplit(shape: shape, images: images, labels: [0])
        let normalization = ChannelNormalization(statisticsOf: split)
        #expect(normalization.mean == [0, 0.5])
        #expect(normalization.standardDeviation == [1, 0.5])
    }

    @Test("the affine form equals (p/255 − mean)/std")
    func affine() {
        let normalization = ChannelNormalization(mean: [0.25, 0.5], standardDeviation: [0.5, 2])
        let (scale, shift) = normalization.affine
        for pixel in [0, 1, 77, 128, 255] {
            for channel in 0..<2 {
                let expected =
                    (Double(pixel) / 255 - Double(normalization.mean[channel]))
                    / Double(normalization.standardDeviation[channel])
                let actual = Float(pixel) * scale[channel] + shift[channel]
                expectClose([actual], [Float(expected)], absoluteTolerance: 1e-6)
            }
        }
    }

    @Test("normalisation survives a JSON round trip exactly")
    func codable() throws {
        let normalization = ChannelNormalization(
            statisticsOf: randomSplit(count: 5, shape: ImageShape(channels: 3, height: 4, width: 4))
        )
        let json = try JSONEncoder().encode(normalization)
        #expect(try JSONDecoder().decode(ChannelNormalization.self, from: json) == normalization)
    }
}
