// Dimension letters: C × H × W the input image, K classes.

/// The layer lists of the zoo's architectures, built in PyTorch's registration order so
/// that parameter order and `state_dict` names match the PyTorch definitions:
///
/// - `mlp`: flatten, fc1 (C·H·W → 512), ReLU, fc2 (512 → 512), ReLU, fc3 (512 → K).
/// - `cnn`: [conv 3×3 (no bias, padding 1), BatchNorm, ReLU] with 32, 64, 128 channels
///   as conv1/bn1 … conv3/bn3, 2×2 max pooling after the first two, global average
///   pooling, fc (128 → K).
/// - `resnetN`, N = 6n + 2: conv1 (3×3 → 16, no bias), bn1, ReLU; layer1…layer3 of n
///   basic blocks with 16, 32, 64 channels, stride 2 in the first block of layer2 and
///   layer3 with a 1×1 convolution + BatchNorm shortcut (`shortcut.0`, `shortcut.1`);
///   global average pooling; fc (64 → K).
enum ModelZoo {
    static func layers(
        _ architecture: Architecture, inputShape: InputShape, classCount: Int,
        layout: LayoutBuilder
    ) -> [Layer] {
        let image = [inputShape.channels, inputShape.height, inputShape.width]
        switch architecture {
        case .mlp:
            return multilayerPerceptron(image: image, classCount: classCount, layout: layout)
        case .cnn:
            return convolutional(image: image, classCount: classCount, layout: layout)
        case .resnet20, .resnet32, .resnet44, .resnet56:
            return residual(
                image: image, blocksPerStage: architecture.blocksPerStage!,
                classCount: classCount, layout: layout)
        }
    }

    static let hiddenUnits = 512

    /// For each layer, whether some layer before it has parameters: only then does the
    /// backward pass need the layer's input gradient g_x (and R{g_x}). The images have no
    /// gradient, so the first parameterised layer (`fc1` after `mlp`'s flatten) skips it.
    static func inputGradientNeeded(_ layers: [Layer]) -> [Bool] {
        var needed: [Bool] = []
        var parameterisedBelow = false
        for layer in layers {
            needed.append(parameterisedBelow)
            parameterisedBelow = parameterisedBelow || layer.hasParameters
        }
        return needed
    }

    private static func multilayerPerceptron(image: [Int], classCount: Int, layout: LayoutBuilder)
        -> [Layer]
    {
        let flatten = Flatten(shape: image)
        let features = flatten.outputCount
        return [
            flatten,
            Linear("fc1", inputFeatures: features, outputFeatures: hiddenUnits, layout: layout),
            ReLU(shape: [hiddenUnits]),
            Linear("fc2", inputFeatures: hiddenUnits, outputFeatures: hiddenUnits, layout: layout),
            ReLU(shape: [hiddenUnits]),
            Linear("fc3", inputFeatures: hiddenUnits, outputFeatures: classCount, layout: layout),
        ]
    }

    private static func convolutional(image: [Int], classCount: Int, layout: LayoutBuilder)
        -> [Layer]
    {
        var layers: [Layer] = []
        var shape = image
        for (stage, width) in [32, 64, 128].enumerated() {
            let conv = Conv2d(
                "conv\(stage + 1)", inputShape: shape, outputChannels: width, kernelSize: 3,
                padding: 1, bias: false, layout: layout)
            shape = conv.outputShape
            layers += [
                conv, BatchNorm("bn\(stage + 1)", shape: shape, layout: layout), ReLU(shape: shape),
            ]
            if stage < 2 {
                let pool = MaxPool2d(shape: shape, window: 2)
                shape = pool.outputShape
                layers.append(pool)
            }
        }
        let pool = GlobalAveragePool(shape: shape)
        layers += [
            pool,
            Linear(
                "fc", inputFeatures: pool.outputCount, outputFeatures: classCount, layout: layout),
        ]
        return layers
    }

    private static func residual(
        image: [Int], blocksPerStage: Int, classCount: Int, layout: LayoutBuilder
    ) -> [Layer] {
        let stem = Conv2d(
            "conv1", inputShape: image, outputChannels: 16, kernelSize: 3, padding: 1,
            bias: false, layout: layout)
        var shape = stem.outputShape
        var layers: [Layer] = [
            stem, BatchNorm("bn1", shape: shape, layout: layout), ReLU(shape: shape),
        ]
        for (stage, width) in [16, 32, 64].enumerated() {
            layout.scoped("layer\(stage + 1)") {
                for index in 0..<blocksPerStage {
                    let block = BasicBlock(
                        "\(index)", inputShape: shape, planes: width,
                        stride: stage > 0 && index == 0 ? 2 : 1, layout: layout)
                    shape = block.outputShape
                    layers.append(block)
                }
            }
        }
        let pool = GlobalAveragePool(shape: shape)
        layers += [
            pool,
            Linear(
                "fc", inputFeatures: pool.outputCount, outputFeatures: classCount, layout: layout),
        ]
        return layers
    }
}
