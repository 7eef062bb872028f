// Dimension letters: N examples, C channels, H height, W width.

/// Per-channel standardisation of pixel values, with statistics from the training split.
///
/// A stored byte `p` of channel `c` becomes the network input
///
///     x = (p / 255 − mean[c]) / standardDeviation[c],
///
/// so `mean` and `standardDeviation` are in units of the pixel scaled to [0, 1] — the
/// convention of torchvision's `ToTensor` followed by `Normalize(mean, std)`, so the
/// numbers compare directly with published ones (Fashion-MNIST ≈ 0.286 and 0.353).
/// The standard deviation is the population one (divisor N·H·W), over every pixel of the
/// channel in the split.
public struct ChannelNormalization: Codable, Equatable, Sendable {
    /// Mean of each channel, in units of pixel / 255.
    public var mean: [Float]
    /// Population standard deviation of each channel, in units of pixel / 255.
    public var standardDeviation: [Float]

    /// - Precondition: one mean and one positive standard deviation per channel.
    public init(mean: [Float], standardDeviation: [Float]) {
        precondition(
            mean.count == standardDeviation.count && !mean.isEmpty,
            "\(mean.count) means for \(standardDeviation.count) standard deviations")
        precondition(
            standardDeviation.allSatisfy { $0 > 0 && $0.isFinite },
            "standard deviations must be positive and finite, got \(standardDeviation)")
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// The identity map of bytes to [0, 1] (mean 0, standard deviation 1 per channel).
    public static func unit(channels: Int) -> ChannelNormalization {
        ChannelNormalization(
            mean: [Float](repeating: 0, count: channels),
            standardDeviation: [Float](repeating: 1, count: channels))
    }

    /// The statistics of `split`, computed exactly: a histogram of the 256 byte values per
    /// channel gives integer sums Σp and Σp², and then, in Double,
    /// mean = Σp / (255 M) and variance = Σp² / (255² M) − mean², with M = N·H·W.
    ///
    /// A channel whose pixels are all equal (variance 0) gets standard deviation 1, so that
    /// normalising it only centres it.
    /// - Precondition: the split is not empty.
    public init(statisticsOf split: DataSplit) {
        precondition(split.count > 0, "cannot compute statistics of an empty split")
        let shape = split.shape
        // Count each byte value per channel: histograms[256·c + p].
        var histograms = [UInt64](repeating: 0, count: 256 * shape.channels)
        split.images.withUnsafeBufferPointer { pixels in
            histograms.withUnsafeMutableBufferPointer { counts in
                for example in 0..<split.count {
                    for channel in 0..<shape.channels {
                        let start = (example * shape.channels + channel) * shape.planeCount
                        let channelCounts = counts.baseAddress! + 256 * channel
                        for index in start..<(start + shape.planeCount) {
                            channelCounts[Int(pixels[index])] &+= 1
                        }
                    }
                }
            }
        }

        // Exact integer moments, then the standardisation constants.
        let pixelCount = Double(split.count * shape.planeCount)
        var means = [Float]()
        var deviations = [Float]()
        for channel in 0..<shape.channels {
            var sum: UInt64 = 0
            var sumOfSquares: UInt64 = 0
            for value in 0..<256 {
                let count = histograms[256 * channel + value]
                sum += UInt64(value) * count
                sumOfSquares += UInt64(value * value) * count
            }
            let mean = Double(sum) / (255 * pixelCount)
            let variance = max(0, Double(sumOfSquares) / (255 * 255 * pixelCount) - mean * mean)
            means.append(Float(mean))
            deviations.append(variance > 0 ? Float(variance.squareRoot()) : 1)
        }
        self.init(mean: means, standardDeviation: deviations)
    }

    public var channels: Int { mean.count }

    /// The affine map `x = p · scale[c] + shift[c]` equal to the formula above:
    /// scale = 1 / (255 σ), shift = −mean / σ.
    public var affine: (scale: [Float], shift: [Float]) {
        let scale = standardDeviation.map { 1 / (255 * $0) }
        let shift = zip(mean, standardDeviation).map { -$0 / $1 }
        return (scale, shift)
    }
}
