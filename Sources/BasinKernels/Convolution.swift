// Dimension letters: N batch, C input channels, O output channels, H × W input height and
// width, P × Q output height and width, R × S kernel height and width. Tensors are NCHW,
// weights OCRS, all row-major and contiguous.

/// The sizes of one 2-D convolution (cross-correlation, as in PyTorch's `Conv2d`).
public struct ConvolutionGeometry: Hashable, Sendable {
    public var batch: Int
    public var inputChannels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var outputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var stride: Int
    public var padding: Int

    public init(
        batch: Int, inputChannels: Int, inputHeight: Int, inputWidth: Int,
        outputChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int = 1,
        padding: Int = 0
    ) {
        precondition(
            stride >= 1 && padding >= 0, "stride \(stride) must be ≥ 1, padding \(padding) ≥ 0")
        self.batch = batch
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
    }

    /// P = ⌊(H + 2·padding − R) / stride⌋ + 1.
    public var outputHeight: Int { (inputHeight + 2 * padding - kernelHeight) / stride + 1 }
    /// Q = ⌊(W + 2·padding − S) / stride⌋ + 1.
    public var outputWidth: Int { (inputWidth + 2 * padding - kernelWidth) / stride + 1 }

    public var inputCount: Int { batch * inputChannels * inputHeight * inputWidth }
    public var outputCount: Int { batch * outputChannels * outputHeight * outputWidth }
    public var weightCount: Int { outputChannels * inputChannels * kernelHeight * kernelWidth }

    /// Floats of one column matrix, [C·R·S, P·Q].
    public var columnCount: Int {
        inputChannels * kernelHeight * kernelWidth * outputHeight * outputWidth
    }

    /// True for a 1 × 1 kernel with stride 1 and no padding, whose column matrix is the
    /// image itself, so the kernels skip im2col.
    public var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0
    }

    /// How many images the kernels work on at once: one per thread when the batch has
    /// at least two images and more than one thread is allowed, else 1 (the product
    /// itself is then threaded).
    public var workerCount: Int { workerCount(threadCount: Parallelism.threadCount) }

    /// `workerCount` for an explicit thread count.
    public func workerCount(threadCount: Int) -> Int { max(1, min(threadCount, batch)) }

    /// Floats of scratch memory the fast kernels need for one call, read at the time of
    /// the call (it depends on `Parallelism.threadCount`): per worker, one column matrix
    /// and one partial weight gradient.
    public var workspaceCount: Int { workspaceCount(threadCount: Parallelism.threadCount) }

    /// `workspaceCount` for an explicit thread count; never more than
    /// `batch · (columnCount + weightCount)` (or one worker's share for an empty batch).
    public func workspaceCount(threadCount: Int) -> Int {
        workerCount(threadCount: threadCount) * (columnCount + weightCount)
    }
}

// Method: im2col + gemm, per image. The column matrix turns every kernel size, stride and
// padding into one product with the packed SIMD gemm, which runs near the peak of a core;
// building the column matrix is a single pass of C·R·S·P·Q copies, measured at under a
// tenth of the forward time for the 3 × 3 layers of the cnn model at batch 128. A direct
// loop nest would need a register-blocked kernel per stride and kernel size to compete.
// Small images are spread over threads one image at a time (each worker owns a column
// matrix and a partial weight gradient in the workspace); a batch of one image threads
// the product instead.

/// y[n,o,p,q] = Σ_{c,r,s} w[o,c,r,s] · x[n,c,p·stride+r−pad,q·stride+s−pad] (+ bias[o]).
/// Overwrites `output`. `workspace` holds at least `geometry.workspaceCount` floats.
/// Bit-identical for a given thread count; each output element is summed by one gemm
/// call, so the result does not depend on the thread count either.
public func convolutionForward(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>
) {
    convolutionForward(
        geometry, input: input, weight: weight, bias: bias, output: output,
        workspace: workspace, threadCount: Parallelism.threadCount)
}

/// `convolutionForward` on at most `threadCount` threads; `workspace` holds at least
/// `geometry.workspaceCount(threadCount:)` floats.
public func convolutionForward(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>, threadCount: Int
) {
    let g = geometry
    let (outputSize, inputSize) = (g.outputHeight * g.outputWidth, g.inputCount / max(1, g.batch))
    let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
    forEachImage(g, threadCount: threadCount, workspace: workspace) { image, columns, gemmThreads in
        let x = input + image * inputSize
        let y = output + image * g.outputChannels * outputSize

        // The bias becomes the initial C of the product (beta 1).
        if let bias {
            for o in 0..<g.outputChannels {
                (y + o * outputSize).update(repeating: bias[o], count: outputSize)
            }
        }

        // y[O, PQ] = w[O, CRS] · columns[CRS, PQ] (+ y).
        let b = g.isPointwise ? x : UnsafePointer(columns)
        if !g.isPointwise { im2col(g, image: x, columns: columns) }
        gemm(
            .none, .none, m: g.outputChannels, n: outputSize, k: depth, alpha: 1, a: weight,
            lda: depth, b: b, ldb: outputSize, beta: bias == nil ? 0 : 1, c: y,
            ldc: outputSize, threadCount: gemmThreads)
    }
}

/// dx = Σ over outputs of w · dy (the transposed convolution). Overwrites `inputGradient`.
/// Per image: columns[CRS, PQ] = wᵀ · dy, then col2im adds the columns into dx.
/// `workspace` holds at least `geometry.workspaceCount` floats. Bit-identical for every
/// thread count.
public func convolutionBackwardInput(
    _ geometry: ConvolutionGeometry, outputGradient: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>
) {
    convolutionBackwardInput(
        geometry, outputGradient: outputGradient, weight: weight, inputGradient: inputGradient,
        workspace: workspace, threadCount: Parallelism.threadCount)
}

/// `convolutionBackwardInput` on at most `threadCount` threads; `workspace` holds at
/// least `geometry.workspaceCount(threadCount:)` floats.
public func convolutionBackwardInput(
    _ geometry: ConvolutionGeometry, outputGradient: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>, threadCount: Int
) {
    let g = geometry
    let (outputSize, inputSize) = (g.outputHeight * g.outputWidth, g.inputCount / max(1, g.batch))
    let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
    forEachImage(g, threadCount: threadCount, workspace: workspace) { image, columns, gemmThreads in
        let dy = outputGradient + image * g.outputChannels * outputSize
        let dx = inputGradient + image * inputSize
        let target = g.isPointwise ? dx : columns
        gemm(
            .transposed, .none, m: depth, n: outputSize, k: g.outputChannels, alpha: 1,
            a: weight, lda: depth, b: dy, ldb: outputSize, beta: 0, c: target, ldc: outputSize,
            threadCount: gemmThreads)
        if !g.isPointwise { col2im(g, columns: columns, image: dx) }
    }
}

/// dw[o,c,r,s] = Σ_{n,p,q} dy[n,o,p,q] · x[n,c,…]. Adds into `weightGradient` when
/// `accumulate` is true, else overwrites it. `workspace` holds at least
/// `geometry.workspaceCount` floats.
///
/// Each worker sums its contiguous share of the batch into its own partial gradient
/// (dy[O, PQ] · columnsᵀ per image); the partials are then added to the result in worker
/// order, so the result is bit-identical for a given thread count (the grouping of the
/// batch, and hence the rounding, changes with it).
public func convolutionBackwardWeight(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>,
    outputGradient: UnsafePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
    accumulate: Bool, workspace: UnsafeMutablePointer<Float>
) {
    convolutionBackwardWeight(
        geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient,
        accumulate: accumulate, workspace: workspace, threadCount: Parallelism.threadCount)
}

/// `convolutionBackwardWeight` on at most `threadCount` threads; `workspace` holds at
/// least `geometry.workspaceCount(threadCount:)` floats.
public func convolutionBackwardWeight(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>,
    outputGradient: UnsafePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
    accumulate: Bool, workspace: UnsafeMutablePointer<Float>, threadCount: Int
) {
    let g = geometry
    let (outputSize, inputSize) = (g.outputHeight * g.outputWidth, g.inputCount / max(1, g.batch))
    let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
    let workers = g.workerCount(threadCount: threadCount)
    if g.batch == 0 {
        if !accumulate { weightGradient.update(repeating: 0, count: g.weightCount) }
        return
    }

    // Partial sums, one per worker (the result itself when there is one worker).
    Parallelism.runWorkers(workers) { worker in
        let slot = workspace + worker * (g.columnCount + g.weightCount)
        let partial = workers == 1 ? weightGradient : slot + g.columnCount
        var first = workers > 1 || !accumulate
        let gemmThreads = workers == 1 ? threadCount : 1
        for image in (g.batch * worker / workers)..<(g.batch * (worker + 1) / workers) {
            let x = input + image * inputSize
            let dy = outputGradient + image * g.outputChannels * outputSize
            let columns = g.isPointwise ? x : UnsafePointer(slot)
            if !g.isPointwise { im2col(g, image: x, columns: slot) }
            gemm(
                .none, .transposed, m: g.outputChannels, n: depth, k: outputSize, alpha: 1,
                a: dy, lda: outputSize, b: columns, ldb: outputSize, beta: first ? 0 : 1,
                c: partial, ldc: depth, threadCount: gemmThreads)
            first = false
        }
    }
    if workers == 1 { return }

    // Add the partials in worker order, split over threads by weight index.
    let chunks = max(1, min(threadCount, g.weightCount / 4096))
    Parallelism.runWorkers(chunks) { chunk in
        let lower = g.weightCount * chunk / chunks
        let upper = g.weightCount * (chunk + 1) / chunks
        for index in lower..<upper {
            var sum: Float = accumulate ? weightGradient[index] : 0
            for worker in 0..<workers {
                sum += workspace[worker * (g.columnCount + g.weightCount) + g.columnCount + index]
            }
            weightGradient[index] = sum
        }
    }
}

/// db[o] = Σ_{n,p,q} dy[n,o,p,q], summed in Double in a fixed order. Adds into `biasGradient` when `accumulate` is true, else overwrites it.
public func convolutionBiasGradient(
    _ geometry: ConvolutionGeometry, outputGradient: UnsafePointer<Float>,
    biasGradient: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    let g = geometry
    let outputSize = g.outputHeight * g.outputWidth
    for o in 0..<g.outputChannels {
        var sum = accumulate ? Double(biasGradient[o]) : 0
        for image in 0..<g.batch {
            let plane = outputGradient + (image * g.outputChannels + o) * outputSize
            sum += planeSum(plane, count: outputSize, center: 0)
        }
        biasGradient[o] = Float(sum)
    }
}

/// Runs `body(image, columns, gemmThreads)` for every image of the batch: spread over
/// `geometry.workerCount(threadCount:)` workers, each with its own column matrix in `workspace` and
/// single-threaded products, or on one worker with a threaded product.
private func forEachImage(
    _ g: ConvolutionGeometry, threadCount: Int, workspace: UnsafeMutablePointer<Float>,
    _ body: (Int, UnsafeMutablePointer<Float>, Int) -> Void
) {
    let workers = g.workerCount(threadCount: threadCount)
    let gemmThreads = workers == 1 ? threadCount : 1
    Parallelism.runWorkers(workers) { worker in
        let columns = workspace + worker * (g.columnCount + g.weightCount)
        for image in (g.batch * worker / workers)..<(g.batch * (worker + 1) / workers) {
            body(image, columns, gemmThreads)
        }
    }
}
