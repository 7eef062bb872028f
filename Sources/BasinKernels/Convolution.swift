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
    /// image itself, so the backward-input product writes the input gradient directly.
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
    /// the call (it depends on `Parallelism.threadCount`): the packed weights, per worker
    /// a column matrix (packed or plain), and the partial weight gradients.
    public var workspaceCount: Int { workspaceCount(threadCount: Parallelism.threadCount) }

    /// `workspaceCount` for an explicit thread count.
    public func workspaceCount(threadCount: Int) -> Int {
        packedWeightCount + workerCount(threadCount: threadCount) * workerSlotCount
            + (partialGradientCount > 1 ? partialGradientCount * weightCount : 0)
    }

    /// How many partial weight gradients the backward-weight pass sums the batch into:
    /// contiguous groups of images, fixed by the batch size alone (at most 8), so that
    /// the sum, and its rounding, is the same for every thread count.
    var partialGradientCount: Int { max(1, min(batch, 8)) }

    /// Depth of the products: C·R·S.
    var patchCount: Int { inputChannels * kernelHeight * kernelWidth }

    /// Floats of the weights packed for the forward product (as op(A) [O, CRS], or as
    /// op(B) [CRS, O] when it runs transposed) or the backward-input one (op(A) [CRS, O],
    /// or op(B) [O, CRS] transposed).
    var packedWeightCount: Int {
        max(
            gemmPackedACount(m: outputChannels, k: patchCount),
            gemmPackedBCount(n: outputChannels, k: patchCount),
            gemmPackedACount(m: patchCount, k: outputChannels),
            gemmPackedBCount(n: patchCount, k: outputChannels))
    }

    /// Whether the forward product runs transposed, yᵀ[PQ, O] = columnsᵀ · wᵀ (see
    /// `prefersTransposedProduct`).
    var forwardIsTransposed: Bool {
        prefersTransposedProduct(
            rows: outputChannels, columns: outputHeight * outputWidth, depth: patchCount)
    }

    /// Whether the backward-input product runs transposed, columnsᵀ[PQ, CRS] = dyᵀ · w
    /// (see `prefersTransposedProduct`); never for a 1 × 1 kernel, whose plain product
    /// writes the input gradient directly.
    var backwardInputIsTransposed: Bool {
        !isPointwise
            && prefersTransposedProduct(
                rows: patchCount, columns: outputHeight * outputWidth, depth: outputChannels)
    }

    /// Whether a product C[rows, columns] runs better as Cᵀ: when the columns (P·Q)
    /// fill the 16-column register tile much worse than the rows do (7 × 7 outputs use
    /// 49 of 64 columns, while 128 channels fill theirs), judged by the share of each tile
    /// that holds real elements, with a margin for the extra transpose. A shallow product
    /// (depth < 32) is bound by writing its output, and stays as it is.
    private func prefersTransposedProduct(rows: Int, columns: Int, depth: Int) -> Bool {
        func tileUse(rows: Int, columns: Int) -> Double {
            Double(rows * columns)
                / Double(roundUp(rows, to: gemmTileRows) * roundUp(columns, to: gemmTileColumns))
        }
        let plain = tileUse(rows: rows, columns: columns)
        let transposed = tileUse(rows: columns, columns: rows)
        return transposed > 1.15 * plain && depth >= 32
    }

    /// Floats of one worker's share of the workspace, enough for each of the passes.
    var workerSlotCount: Int {
        let outputSize = outputHeight * outputWidth
        let forward =
            max(
                gemmPackedBCount(n: outputSize, k: patchCount),
                gemmPackedACount(m: outputSize, k: patchCount) + outputSize * outputChannels)
            + outputSize
        let backwardInput =
            max(
                gemmPackedBCount(n: outputSize, k: outputChannels),
                gemmPackedACount(m: outputSize, k: outputChannels)) + columnCount
        let backwardWeight =
            gemmTileColumns * outputSize + gemmPackedACount(m: outputChannels, k: outputSize)
            + gemmPackedBCount(n: patchCount, k: outputSize)
        return max(forward, backwardInput, backwardWeight)
    }
}

// Method: im2col + gemm, per image. The column matrix turns every kernel size, stride and
// padding into one product with the packed SIMD gemm, which runs near the peak of a core.
// The column matrix is written straight into the panel order the gemm microkernel reads
// (no separate packing pass), and the weights are packed once per call. Measured on the
// 3 × 3 layers of the cnn model at batch 128 (one thread), building the columns takes
// about a quarter of the forward time and the products run at 45–70 GFLOP/s; a direct
// loop nest would need its own register-blocked kernel for every stride and kernel size
// to beat that, and was not written.
// When the output positions fill the 16-column register tile badly (7 × 7 = 49 of 64)
// the forward and backward-input products run transposed (see `forwardIsTransposed`).
// Small images are spread over threads one image at a time, each worker with its own
// slot of the workspace; a batch of one image threads the product instead.

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
    let outputSize = g.outputHeight * g.outputWidth
    let inputSize = g.inputChannels * g.inputHeight * g.inputWidth
    if g.patchCount == 0 {
        for image in 0..<g.batch {
            for o in 0..<g.outputChannels {
                let plane = output + (image * g.outputChannels + o) * outputSize
                plane.update(repeating: bias?[o] ?? 0, count: outputSize)
            }
        }
        return
    }
    if g.forwardIsTransposed {
        convolutionForwardTransposed(
            g, input: input, weight: weight, bias: bias, output: output, workspace: workspace,
            threadCount: threadCount)
        return
    }

    let packedWeight = workspace
    gemmPackWholeA(
        weight, lda: g.patchCount, transposed: false, m: g.outputChannels, k: g.patchCount,
        into: packedWeight)
    forEachImage(g, threadCount: threadCount, workspace: workspace) { image, slot, gemmThreads in
        let x = input + image * inputSize
        let y = output + image * g.outputChannels * outputSize

        // The bias becomes the initial C of the product (beta 1).
        if let bias {
            for o in 0..<g.outputChannels {
                (y + o * outputSize).update(repeating: bias[o], count: outputSize)
            }
        }

        // y[O, PQ] = w[O, CRS] · columns[CRS, PQ] (+ y), the columns built in packed order.
        let packedColumns = slot + outputSize
        im2colPacked(g, image: x, packed: packedColumns, row: slot)
        gemmOnPacked(
            m: g.outputChannels, n: outputSize, k: g.patchCount, alpha: 1,
            packedA: packedWeight, packedB: packedColumns, beta: bias == nil ? 0 : 1, c: y,
            ldc: outputSize, threadCount: gemmThreads)
    }
}

/// The forward pass as yᵀ[PQ, O] = columnsᵀ[PQ, CRS] · wᵀ[CRS, O], then transposed into
/// y with the bias added (see `ConvolutionGeometry.forwardIsTransposed`).
private func convolutionForwardTransposed(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>, threadCount: Int
) {
    let outputSize = g.outputHeight * g.outputWidth
    let inputSize = g.inputChannels * g.inputHeight * g.inputWidth
    let packedWeight = workspace
    gemmPackWholeB(
        weight, ldb: g.patchCount, transposed: true, n: g.outputChannels, k: g.patchCount,
        into: packedWeight)
    forEachImage(g, threadCount: threadCount, workspace: workspace) { image, slot, gemmThreads in
        let x = input + image * inputSize
        let y = output + image * g.outputChannels * outputSize

        // yᵀ[PQ, O] into the slot, the transposed columns built in packed order.
        let transposedOutput = slot + outputSize
        let packedColumns = transposedOutput + outputSize * g.outputChannels
        im2colTransposedPacked(g, image: x, packed: packedColumns, row: slot)
        gemmOnPacked(
            m: outputSize, n: g.outputChannels, k: g.patchCount, alpha: 1,
            packedA: packedColumns, packedB: packedWeight, beta: 0, c: transposedOutput,
            ldc: g.outputChannels, threadCount: gemmThreads)

        // y[o, pq] = yᵀ[pq, o] + bias[o].
        for o in 0..<g.outputChannels {
            let value = bias?[o] ?? 0
            let plane = y + o * outputSize
            for position in 0..<outputSize {
                plane[position] = transposedOutput[position * g.outputChannels + o] + value
            }
        }
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
    let outputSize = g.outputHeight * g.outputWidth
    let inputSize = g.inputChannels * g.inputHeight * g.inputWidth
    if g.outputChannels == 0 {
        inputGradient.update(repeating: 0, count: g.inputCount)
        return
    }
    if g.backwardInputIsTransposed {
        convolutionBackwardInputTransposed(
            g, outputGradient: outputGradient, weight: weight, inputGradient: inputGradient,
            workspace: workspace, threadCount: threadCount)
        return
    }

    let packedWeight = workspace
    gemmPackWholeA(
        weight, lda: g.patchCount, transposed: true, m: g.patchCount, k: g.outputChannels,
        into: packedWeight)
    forEachImage(g, threadCount: threadCount, workspace: workspace) { image, slot, gemmThreads in
        let dy = outputGradient + image * g.outputChannels * outputSize
        let dx = inputGradient + image * inputSize

        // columns[CRS, PQ] = wᵀ[CRS, O] · dy[O, PQ], straight into dx for a 1 × 1 kernel.
        let packedGradient = slot
        gemmPackWholeB(
            dy, ldb: outputSize, transposed: false, n: outputSize, k: g.outputChannels,
            into: packedGradient)
        let columns = slot + gemmPackedBCount(n: outputSize, k: g.outputChannels)
        gemmOnPacked(
            m: g.patchCount, n: outputSize, k: g.outputChannels, alpha: 1,
            packedA: packedWeight, packedB: packedGradient, beta: 0,
            c: g.isPointwise ? dx : columns, ldc: outputSize, threadCount: gemmThreads)

        // Scatter-add the columns back to image positions.
        if !g.isPointwise { col2im(g, columns: columns, image: dx) }
    }
}

/// The backward-input pass as columnsᵀ[PQ, CRS] = dyᵀ[PQ, O] · w[O, CRS], then scattered
/// into dx (see `ConvolutionGeometry.backwardInputIsTransposed`). Each column entry is the
/// same sum as in the plain product, so the result is bit-identical to it.
private func convolutionBackwardInputTransposed(
    _ g: ConvolutionGeometry, outputGradient: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>, threadCount: Int
) {
    let outputSize = g.outputHeight * g.outputWidth
    let inputSize = g.inputChannels * g.inputHeight * g.inputWidth
    let packedWeight = workspace
    gemmPackWholeB(
        weight, ldb: g.patchCount, transposed: false, n: g.patchCount, k: g.outputChannels,
        into: packedWeight)
    forEachImage(g, threadCount: threadCount, workspace: workspace) { image, slot, gemmThreads in
        let dy = outputGradient + image * g.outputChannels * outputSize
        let dx = inputGradient + image * inputSize

        // columnsᵀ[PQ, CRS] = dyᵀ · w.
        let packedGradient = slot
        gemmPackWholeA(
            dy, lda: outputSize, transposed: true, m: outputSize, k: g.outputChannels,
            into: packedGradient)
        let transposedColumns = slot + gemmPackedACount(m: outputSize, k: g.outputChannels)
        gemmOnPacked(
            m: outputSize, n: g.patchCount, k: g.outputChannels, alpha: 1,
            packedA: packedGradient, packedB: packedWeight, beta: 0, c: transposedColumns,
            ldc: g.patchCount, threadCount: gemmThreads)

        // Scatter-add the columns back to image positions.
        col2imTransposed(g, transposedColumns: transposedColumns, image: dx)
    }
}

/// dw[o,c,r,s] = Σ_{n,p,q} dy[n,o,p,q] · x[n,c,…]. Adds into `weightGradient` when
/// `accumulate` is true, else overwrites it. `workspace` holds at least
/// `geometry.workspaceCount` floats.
///
/// The batch is cut into at most 8 contiguous groups of images, fixed by the batch size;
/// each group is summed into its own partial gradient (dy[O, PQ] · columnsᵀ per image,
/// the columns written straight into packed order) by one thread, and the partials are
/// added to the result in group order. The result is therefore bit-identical for every
/// thread count.
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
    let groups = g.partialGradientCount
    let workers = min(g.workerCount(threadCount: threadCount), groups)
    if g.batch == 0 || outputSize == 0 {
        if !accumulate { weightGradient.update(repeating: 0, count: g.weightCount) }
        return
    }

    // Partial sums, one per group of images (the result itself for a single image).
    let partials = workspace + g.packedWeightCount + workers * g.workerSlotCount
    let packedGradientCount = gemmPackedACount(m: g.outputChannels, k: outputSize)
    Parallelism.runWorkers(workers) { worker in
        let slot = workspace + g.packedWeightCount + worker * g.workerSlotCount
        let (rows, packedGradient) = (slot, slot + gemmTileColumns * outputSize)
        let packedColumns = packedGradient + packedGradientCount
        let gemmThreads = workers == 1 ? threadCount : 1
        for group in stride(from: worker, to: groups, by: workers) {
            let partial = groups == 1 ? weightGradient : partials + group * g.weightCount
            var first = groups > 1 || !accumulate
            for image in (g.batch * group / groups)..<(g.batch * (group + 1) / groups) {
                let x = input + image * inputSize
                let dy = outputGradient + image * g.outputChannels * outputSize

                // Pack dy[O, PQ] as A and columnsᵀ[PQ, CRS] as B, row (c, r, s) of the
                // column matrix becoming column (c, r, s) of B.
                gemmPackWholeA(
                    dy, lda: outputSize, transposed: false, m: g.outputChannels, k: outputSize,
                    into: packedGradient)
                im2colTransposedPackedB(g, image: x, packed: packedColumns, rows: rows)

                // partial[O, CRS] (+)= dy · columnsᵀ.
                gemmOnPacked(
                    m: g.outputChannels, n: depth, k: outputSize, alpha: 1,
                    packedA: packedGradient, packedB: packedColumns, beta: first ? 0 : 1,
                    c: partial, ldc: depth, threadCount: gemmThreads)
                first = false
            }
        }
    }
    if groups == 1 { return }

    // Add the partials in group order, split over threads by weight index.
    let chunks = max(1, min(threadCount, g.weightCount / 4096))
    Parallelism.runWorkers(chunks) { chunk in
        let lower = g.weightCount * chunk / chunks
        let upper = g.weightCount * (chunk + 1) / chunks
        for index in lower..<upper {
            var sum: Float = accumulate ? weightGradient[index] : 0
            for group in 0..<groups { sum += partials[group * g.weightCount + index] }
            weightGradient[index] = sum
        }
    }
}

/// db[o] = Σ_{n,p,q} dy[n,o,p,q], summed in Double in a fixed order. Adds into
/// `biasGradient` when `accumulate` is true, else overwrites it.
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

/// Runs `body(image, slot, gemmThreads)` for every image of the batch: spread over
/// `geometry.workerCount(threadCount:)` workers, each with its own slot of the workspace
/// (after the packed weights) and single-threaded products, or on one worker with a
/// threaded product.
private func forEachImage(
    _ g: ConvolutionGeometry, threadCount: Int, workspace: UnsafeMutablePointer<Float>,
    _ body: (Int, UnsafeMutablePointer<Float>, Int) -> Void
) {
    let workers = g.workerCount(threadCount: threadCount)
    let gemmThreads = workers == 1 ? threadCount : 1
    Parallelism.runWorkers(workers) { worker in
        let slot = workspace + g.packedWeightCount + worker * g.workerSlotCount
        for image in (g.batch * worker / workers)..<(g.batch * (worker + 1) / workers) {
            body(image, slot, gemmThreads)
        }
    }
}
