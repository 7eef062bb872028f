/// The networks of the model zoo. Names and layouts follow the PyTorch definitions that
/// Smith's experiments and the loss-landscape literature use (see `ModelZoo.swift`).
public enum Architecture: String, CaseIterable, Sendable, Codable {
    /// Three fully connected layers, 512 hidden units each, ReLU.
    case mlp
    /// Three 3×3 convolutions (32, 64, 128 channels) with BatchNorm, two max pools,
    /// global average pooling and one linear layer.
    case cnn
    /// CIFAR ResNets of He et al. 2016 (§4.2): 6n + 2 layers with n = 3, 5, 7, 9.
    case resnet20, resnet32, resnet44, resnet56

    /// Basic blocks per stage of a ResNet (n in 6n + 2), nil for the other networks.
    public var blocksPerStage: Int? {
        switch self {
        case .mlp, .cnn: nil
        case .resnet20: 3
        case .resnet32: 5
        case .resnet44: 7
        case .resnet56: 9
        }
    }
}

/// The shape of one input image: channels × height × width (1×28×28 for the MNIST
/// family, 3×32×32 for CIFAR-10).
public struct InputShape: Hashable, Sendable, Codable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Floats per image, C·H·W.
    public var elementCount: Int { channels * height * width }

    public var description: String { "\(channels)×\(height)×\(width)" }
}

/// Which statistics BatchNorm normalises with.
public enum BatchNormMode: String, Sendable, Codable, CaseIterable {
    /// Mean and biased variance of the current batch (PyTorch `train()`); the statistics
    /// are functions of the weights, and gradients and Hessians include that dependence.
    case batch
    /// The stored running mean and variance (PyTorch `eval()`); constants of the pass.
    case running
}

/// Whether a batch-statistics pass also updates the running statistics.
public enum RunningStatisticsUpdate: Sendable, Hashable {
    /// Leave running statistics and `num_batches_tracked` alone.
    case none
    /// PyTorch's default, momentum 0.1: r ← 0.9·r + 0.1·b, with the unbiased batch
    /// variance b = σ²·M/(M − 1) for the variance, M values per channel.
    case exponential
    /// PyTorch's `momentum=None`: the equal-weight average of every batch since
    /// `resetRunningStatistics()`, r ← r + (b − r)/t with t the new `num_batches_tracked`.
    case cumulative
}

/// The loss and accuracy of one batch.
public struct BatchResult: Sendable, Hashable {
    /// Mean softmax cross-entropy over the batch, in nats.
    public var loss: Double
    /// Images whose largest logit is their label (first maximum wins a tie).
    public var correctCount: Int
    /// Images in the batch.
    public var count: Int

    public init(loss: Double, correctCount: Int, count: Int) {
        self.loss = loss
        self.correctCount = correctCount
        self.count = count
    }

    /// correctCount / count; 0 for an empty batch.
    public var accuracy: Double { count == 0 ? 0 : Double(correctCount) / Double(count) }
}
