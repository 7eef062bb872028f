import BasinKernels
import BasinNetwork

// Dimension letters: N batch, C × H × W one image, K classes, P parameters.

/// What `ModelBenchmark.run` measures: a zoo network on seeded synthetic images.
///
/// The images are uniform in [0, 1) and the labels uniform in 0..<K, both drawn from
/// `seed`; throughput does not depend on the pixel values beyond which ReLUs are active,
/// so no data set is read.
public struct ModelBenchmarkConfiguration: Sendable, Equatable, Codable {
    public var architecture: Architecture
    public var inputShape: InputShape
    public var classCount: Int
    /// N of a training step, a gradient and a Hessian-vector product.
    public var trainingBatchSize: Int
    /// N of an evaluation pass.
    public var evaluationBatchSize: Int
    /// η, μ and λ of the SGD update in a training step (PyTorch's rule).
    public var learningRate: Double
    public var momentum: Double
    public var weightDecay: Double
    public var seed: UInt64

    /// The defaults are those of `basin bench`: 1 × 28 × 28 images, 10 classes, batch 128
    /// for training, 1000 for evaluation, SGD with η = 0.01, μ = 0.9, λ = 5·10⁻⁴.
    public init(
        architecture: Architecture,
        inputShape: InputShape = InputShape(channels: 1, height: 28, width: 28),
        classCount: Int = 10, trainingBatchSize: Int = 128, evaluationBatchSize: Int = 1000,
        learningRate: Double = 0.01, momentum: Double = 0.9, weightDecay: Double = 5e-4,
        seed: UInt64 = 0
    ) {
        self.architecture = architecture
        self.inputShape = inputShape
        self.classCount = classCount
        self.trainingBatchSize = trainingBatchSize
        self.evaluationBatchSize = evaluationBatchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.seed = seed
    }
}

/// The five pieces of work timed for each model, in the order they run.
public enum ModelBenchmarkPhase: String, Sendable, CaseIterable, Codable {
    /// Forward, backward (batch statistics, running statistics updated) and an SGD
    /// momentum update, at the training batch size.
    case training
    /// Forward with running statistics and the loss, at the evaluation batch size.
    case evaluation
    /// Forward and backward with batch statistics, at the training batch size.
    case gradient
    /// One exact H·v with batch statistics (forward-over-reverse), training batch size.
    case hessianVectorProduct = "hessian-vector-product"
    /// H·v again on the same batch and weights, reusing the forward and backward pass
    /// (`Model.hessianVectorProduct(reusingPass:)`): the cost of each product after the
    /// first in a curvature computation.
    case repeatedHessianVectorProduct = "repeated-hessian-vector-product"
}

/// The speed of one network.
public struct ModelBenchmarkResult: Sendable, Equatable, Codable {
    public var configuration: ModelBenchmarkConfiguration
    /// P, the trainable parameters.
    public var parameterCount: Int
    public var threadCount: Int
    /// Images per second of training steps (units: images of a training batch).
    public var training: Throughput
    /// Images per second of evaluation passes (units: images of an evaluation batch).
    public var evaluation: Throughput
    /// Gradients per second (one unit per run).
    public var gradient: Throughput
    /// Hessian-vector products per second (one unit per run).
    public var hessianVectorProduct: Throughput
    /// Median time of one H·v over median time of one gradient on the same batch.
    public var hessianToGradientRatio: Double
    /// Fastest H·v over fastest gradient.
    public var bestHessianToGradientRatio: Double
    /// Repeated H·v per second on one batch (one unit per run); nil in reports written
    /// before the phase existed.
    public var repeatedHessianVectorProduct: Throughput?
    /// Median time of one repeated H·v over median time of one gradient.
    public var repeatedHessianToGradientRatio: Double?

    /// Rates from the timings of the phases; a run of a phase does one batch.
    public init(
        configuration: ModelBenchmarkConfiguration, parameterCount: Int, threadCount: Int,
        training: TimingSummary, evaluation: TimingSummary, gradient: TimingSummary,
        hessianVectorProduct: TimingSummary, repeatedHessianVectorProduct: TimingSummary? = nil
    ) {
        self.configuration = configuration
        self.parameterCount = parameterCount
        self.threadCount = threadCount
        self.training = Throughput(
            unitsPerRun: Double(configuration.trainingBatchSize), timing: training)
        self.evaluation = Throughput(
            unitsPerRun: Double(configuration.evaluationBatchSize), timing: evaluation)
        self.gradient = Throughput(unitsPerRun: 1, timing: gradient)
        self.hessianVectorProduct = Throughput(unitsPerRun: 1, timing: hessianVectorProduct)
        hessianToGradientRatio = hessianVectorProduct.medianSeconds / gradient.medianSeconds
        bestHessianToGradientRatio = hessianVectorProduct.bestSeconds / gradient.bestSeconds
        self.repeatedHessianVectorProduct = repeatedHessianVectorProduct.map {
            Throughput(unitsPerRun: 1, timing: $0)
        }
        repeatedHessianToGradientRatio = repeatedHessianVectorProduct.map {
            $0.medianSeconds / gradient.medianSeconds
        }
    }
}

/// Times training, evaluation, gradients and Hessian-vector products of a zoo network on
/// `Parallelism.threadCount` threads.
public enum ModelBenchmark {
    /// Builds the model (seeded initialization), draws the data, and times each phase of
    /// `ModelBenchmarkPhase` in order under `policy`, calling `progress` as each begins.
    /// The model trains during the first phase, so later phases see trained weights and
    /// updated running statistics.
    /// - Precondition: both batch sizes ≥ 1; the architecture is built by the zoo.
    public static func run(
        _ configuration: ModelBenchmarkConfiguration, policy: TimingPolicy,
        clock: BenchmarkClock = monotonicBenchmarkSeconds,
        progress: (ModelBenchmarkPhase) -> Void = { _ in }
    ) -> ModelBenchmarkResult {
        precondition(
            configuration.trainingBatchSize >= 1 && configuration.evaluationBatchSize >= 1,
            "batch sizes \(configuration.trainingBatchSize) and "
                + "\(configuration.evaluationBatchSize) must be ≥ 1")
        let threadCount = Parallelism.threadCount
        var generator = SeededGenerator(seed: configuration.seed)
        let model = Model(
            architecture: configuration.architecture, inputShape: configuration.inputShape,
            classCount: configuration.classCount, generator: &generator)
        let trainingBatch = syntheticBatch(
            configuration, size: configuration.trainingBatchSize, generator: &generator)
        let evaluationBatch = syntheticBatch(
            configuration, size: configuration.evaluationBatchSize, generator: &generator)
        let direction = (0..<model.parameterCount).map { _ in Float(generator.nextGaussian()) }
        var optimizer = SGD(
            parameterCount: model.parameterCount, weightDecay: configuration.weightDecay)
        var gradient = [Float](repeating: 0, count: model.parameterCount)
        var product = [Float](repeating: 0, count: model.parameterCount)

        // One timing per phase, each phase's work written out where it is timed.
        progress(.training)
        let training = RepeatedTiming.measure(policy, clock: clock) {
            model.gradient(
                images: trainingBatch.images, labels: trainingBatch.labels, mode: .batch,
                statisticsUpdate: .exponential, into: &gradient)
            optimizer.step(
                parameters: &model.parameters, gradient: gradient,
                learningRate: configuration.learningRate, momentum: configuration.momentum)
        }
        progress(.evaluation)
        let evaluation = RepeatedTiming.measure(policy, clock: clock) {
            model.evaluate(
                images: evaluationBatch.images, labels: evaluationBatch.labels, mode: .running)
        }
        progress(.gradient)
        let gradientTiming = RepeatedTiming.measure(policy, clock: clock) {
            model.gradient(
                images: trainingBatch.images, labels: trainingBatch.labels, mode: .batch,
                into: &gradient)
        }
        progress(.hessianVectorProduct)
        let productTiming = RepeatedTiming.measure(policy, clock: clock) {
            model.hessianVectorProduct(
                images: trainingBatch.images, labels: trainingBatch.labels, mode: .batch,
                direction: direction, into: &product)
        }
        progress(.repeatedHessianVectorProduct)
        let repeatedTiming = RepeatedTiming.measure(policy, clock: clock) {
            model.hessianVectorProduct(
                images: trainingBatch.images, labels: trainingBatch.labels, mode: .batch,
                direction: direction, into: &product, reusingPass: true)
        }

        return ModelBenchmarkResult(
            configuration: configuration, parameterCount: model.parameterCount,
            threadCount: threadCount, training: training, evaluation: evaluation,
            gradient: gradientTiming, hessianVectorProduct: productTiming,
            repeatedHessianVectorProduct: repeatedTiming)
    }

    /// N images uniform in [0, 1), [N, C, H, W], and N labels uniform in 0..<K.
    static func syntheticBatch(
        _ configuration: ModelBenchmarkConfiguration, size: Int,
        generator: inout SeededGenerator
    ) -> (images: [Float], labels: [Int32]) {
        let count = size * configuration.inputShape.elementCount
        let images = (0..<count).map { _ in generator.nextUnitFloat() }
        let labels = (0..<size).map { _ in
            Int32(generator.nextIndex(below: configuration.classCount))
        }
        return (images, labels)
    }
}
