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

    /// How many threads share out the images: one per thread when the batch has at least
    /// two images and more than one thread is allowed, else 1 (the product itself is then
    /// threaded).
    public var workerCount: Int { workerCount(threadCount: Parallelism.threadCount) }

    /// `workerCount` for an explicit thread count.
    public func workerCount(threadCount: Int) -> Int { max(1, min(threadCount, batch)) }

    /// Floats of scratch memory the fast kernels need for one call, read at the time of
    /// the call (it depends on `Parallelism.threadCount`): the packed weights, per worker
    /// a column matrix (packed or plain) and a product, and the partial weight gradients.
    public var workspaceCount: Int { workspaceCount(threadCount: Parallelism.threadCount) }

    /// `workspaceCount` for an explicit thread count.
    public func workspaceCount(threadCount: Int) -> Int {
        cacheLineFloats - 1 + partialsOffset(workerCount: workerCount(threadCount: threadCount))
            + (partialGradientsAreSeparate ? partialGradientCount * weightCount : 0)
    }

    /// Where worker `worker`'s slot starts in the (cache-line aligned) workspace: after the
    /// packed weights and the slots before it.
    func slotOffset(worker: Int) -> Int { cacheLines(packedWeightCount) + worker * workerSlotCount }

    /// Where the partial weight gradients start, after the slots of `workerCount` workers.
    func partialsOffset(workerCount: Int) -> Int { slotOffset(worker: workerCount) }

    /// How many partial weight gradients the backward-weight pass sums the batch into:
    /// contiguous groups of images, fixed by the batch size alone (at most 8), so that
    /// the sum, and its rounding, is the same for every thread count.
    var partialGradientCount: Int { max(1, min(batch, 8)) }

    /// Whether the partial weight gradients live in the workspace: when there are several,
    /// or when the one is in the permuted (r, s, c) patch order of the channels-last
    /// column matrix; otherwise the product writes the weight gradient itself.
    var partialGradientsAreSeparate: Bool {
        partialGradientCount > 1 || weightGradientReadsChannelsLast
    }

    /// Depth of the products: C·R·S.
    var patchCount: Int { inputChannels * kernelHeight * kernelWidth }

    /// Output positions of one image: P·Q.
    var outputSize: Int { outputHeight * outputWidth }

    /// At most how many images one product covers: enough for about
    /// `convolutionProductColumns` columns (P·Q each), at least 1, at most the batch.
    var imagesPerProduct: Int {
        max(1, min(batch, convolutionProductColumns / max(1, outputSize)))
    }

    /// At most how many images one weight-gradient product sums: `imagesPerProduct` for a
    /// deep patch (C·R·S ≥ 64), else 1. A run saves the reloads of the partial gradient
    /// [O, C·R·S] between images but costs gathering dy; for a 1 × 1 or single-channel
    /// kernel the partial is a few hundred floats and the gathering costs more.
    var imagesPerWeightProduct: Int { patchCount >= 64 ? imagesPerProduct : 1 }

    /// The widest product: `imagesPerProduct` images side by side.
    var productColumnCount: Int { imagesPerProduct * outputSize }

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

    /// Whether the forward product runs transposed, one image at a time,
    /// yᵀ[PQ, O] = columnsᵀ · wᵀ (see `prefersTransposedProduct`); judged against the
    /// widest plain product, so only for batches too small to fill its columns.
    var forwardIsTransposed: Bool {
        prefersTransposedProduct(
            rows: outputChannels, columns: productColumnCount, transposedRows: outputSize,
            depth: patchCount)
    }

    /// Whether the backward-input product runs transposed, one image at a time,
    /// columnsᵀ[PQ, CRS] = dyᵀ · w (see `prefersTransposedProduct`).
    var backwardInputIsTransposed: Bool {
        prefersTransposedProduct(
            rows: patchCount, columns: productColumnCount, transposedRows: outputSize,
            depth: outputChannels)
    }

    /// Whether a product C[rows, columns] runs better as Cᵀ[transposedRows, rows] on one
    /// image: when the columns fill the 16-column register tile much worse than the rows
    /// of the transposed product do (7 × 7 outputs use 49 of 64 columns, while 128
    /// channels fill theirs), judged by the share of each tile that holds real elements,
    /// with a margin for the extra transpose. A shallow product (depth < 32) is bound by
    /// writing its output, and stays as it is.
    private func prefersTransposedProduct(
        rows: Int, columns: Int, transposedRows: Int, depth: Int
    ) -> Bool {
        func tileUse(rows: Int, columns: Int) -> Double {
            Double(rows * columns)
                / Double(roundUp(rows, to: gemmTileRows) * roundUp(columns, to: gemmTileColumns))
        }
        let plain = tileUse(rows: rows, columns: columns)
        let transposed = tileUse(rows: transposedRows, columns: rows)
        return transposed > 1.15 * plain && depth >= 32
    }

    /// Floats of one worker's share of the workspace, enough for each of the passes, each
    /// piece of a pass starting on a cache line.
    var workerSlotCount: Int {
        let (columns, depth) = (productColumnCount, patchCount)
        let forward = max(
            cacheLines(convolutionRowsPerPack * columns)
                + cacheLines(gemmPackedBCount(n: columns, k: depth))
                + cacheLines(outputChannels * columns),
            cacheLines(outputSize) + cacheLines(outputSize * outputChannels)
                + cacheLines(gemmPackedACount(m: outputSize, k: depth)))
        let backwardInput = max(
            cacheLines(convolutionRowsPerPack * columns)
                + cacheLines(gemmPackedBCount(n: columns, k: outputChannels))
                + cacheLines(depth * columns),
            cacheLines(gemmPackedACount(m: outputSize, k: outputChannels))
                + cacheLines(depth * outputSize))
        let backwardWeight =
            cacheLines(max(gemmTileColumns, outputChannels) * columns)
            + cacheLines(gemmPackedACount(m: outputChannels, k: columns))
            + cacheLines(gemmPackedBCount(n: depth, k: columns))
            + (weightGradientReadsChannelsLast ? imagesPerWeightProduct * inputCountPerImage : 0)
        return max(forward, backwardInput, backwardWeight)
    }
}

/// Columns a convolution product aims for when it puts several images side by side: wide
/// enough that the register tile is filled and the packed weights are swept few times,
/// narrow enough that the packed column matrix of a 3 × 3 layer with 64 channels
/// (576 × 768 floats) stays in a 2 MiB level-2 cache.
let convolutionProductColumns = 768

/// Floats in a cache line (64 bytes). The pieces of a convolution's workspace start on
/// line boundaries, so that a packed 16-float row of B is one whole line and no vector
/// access of the packed operands is split across two.
let cacheLineFloats = 16

/// `count` floats rounded up to whole cache lines.
@inline(__always)
func cacheLines(_ count: Int) -> Int { roundUp(count, to: cacheLineFloats) }

/// The first cache-line boundary at or after `pointer`, at most 15 floats on (a
/// workspace of `workspaceCount` floats has that much to spare).
@inline(__always)
func alignedToCacheLine(_ pointer: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
    pointer + (-Int(bitPattern: pointer) & (cacheLineFloats * 4 - 1)) / 4
}

/// Rows of a column matrix (or of dy) built before they are packed together
/// (`gemmPackRowsOfB`): enough that each panel receives a run of whole cache lines
/// (8 · 16 floats), few enough that the rows of a 784-column product (25 KiB) stay in
/// the level-1 cache beside the image they are read from.
let convolutionRowsPerPack = 8

// Method: im2col + gemm on groups of images. The column matrix turns every kernel size,
// stride and padding into one product with the packed SIMD gemm, which runs near the peak
// of a core. The column matrices of up to `imagesPerProduct` images are put side by side,
// [C·R·S, n·P·Q], so that a 7 × 7 or 14 × 14 layer still makes one wide product instead
// of many narrow ones: the packed weights are swept once per group rather than once per
// image, and the weight gradient sums a whole group in one deep product. The column
// matrix is written straight into the panel order the gemm microkernel reads (no
// separate packing pass), and the weights are packed once per call. A direct loop nest
// would need its own register-blocked kernel for every stride and kernel size, and was
// not written.
// For a batch too small to fill the 16-column register tile (7 × 7 = 49 of 64) the
// forward and backward-input products run transposed, one image at a time (see
// `forwardIsTransposed`). Groups of images are spread over threads, each worker with its
// own slot of the workspace; a batch of one image threads the product instead.

/// y[n,o,p,q] = Σ_{c,r,s} w[o,c,r,s] · x[n,c,p·stride+r−pad,q·stride+s−pad] (+ bias[o]).
/// Overwrites `output`. `workspace` holds at least `geometry.workspaceCount` floats.
/// Each output element is summed by one gemm call over the same depth blocks whatever
/// the grouping of images, so the result does not depend on the thread count.
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
/// `geometry.workspaceCount(threadCount:)` floats. With an `epilogue`, each output value
/// is passed through it as it is stored.
public func convolutionForward(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>, threadCount: Int,
    epilogue: ConvolutionEpilogue? = nil
) {
    let g = geometry
    let workspace = alignedToCacheLine(workspace)
    if g.patchCount == 0 || g.forwardIsTransposed {
        if g.patchCount == 0 {
            for image in 0..<g.batch {
                for o in 0..<g.outputChannels {
                    let plane = output + (image * g.outputChannels + o) * g.outputSize
                    plane.update(repeating: bias?[o] ?? 0, count: g.outputSize)
                }
            }
        } else {
            convolutionForwardTransposed(
                g, input: input, weight: weight, bias: bias, output: output,
                workspace: workspace, threadCount: threadCount)
        }
        // The epilogue as a pass of its own over the output.
        if let epilogue {
            for image in 0..<g.batch {
                for o in 0..<g.outputChannels {
                    let plane = output + (image * g.outputChannels + o) * g.outputSize
                    epilogue.apply(channel: o, plane, into: plane, count: g.outputSize)
                }
            }
        }
        return
    }
    var rows = ForwardRows(output: output, bias: bias, channels: g.outputChannels)
    rows.epilogue = epilogue
    packedForward(
        g, input: input, weight: weight, rows: rows, workspace: workspace,
        threadCount: threadCount)
}

/// The side-by-side forward products of one weight, packed as op(A) at the start of the
/// aligned `workspace`, their rows stored by `rows`.
private func packedForward(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    rows: ForwardRows, workspace: UnsafeMutablePointer<Float>, threadCount: Int
) {
    gemmPackWholeA(
        weight, lda: g.patchCount, transposed: false, m: g.outputChannels, k: g.patchCount,
        into: workspace)
    forwardProducts(g, input: input, rows: rows, workspace: workspace, threadCount: threadCount)
}

/// What an inference pass does to each output value of a convolution as it is stored,
/// for the layers that follow the convolution: BatchNorm with running statistics,
/// γ·((v − μ)·s) + β per output channel, then with `rectifies` a ReLU, [v > 0]·v. These
/// are the floating-point operations of those layers, in their order, so the result has
/// their bits while the activation is written once instead of three times.
public struct ConvolutionEpilogue {
    public var mean: UnsafePointer<Float>
    public var scale: UnsafePointer<Float>
    public var gamma: UnsafePointer<Float>
    public var beta: UnsafePointer<Float>
    public var rectifies: Bool

    public init(
        mean: UnsafePointer<Float>, scale: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
        beta: UnsafePointer<Float>, rectifies: Bool
    ) {
        (self.mean, self.scale, self.gamma, self.beta) = (mean, scale, gamma, beta)
        self.rectifies = rectifies
    }

    /// target[i] = epilogue(source[i] (+ offset)) for i < count, in channel `channel`.
    @inline(__always)
    func apply(
        channel o: Int, _ source: UnsafePointer<Float>, offset: Float? = nil,
        into target: UnsafeMutablePointer<Float>, count: Int
    ) {
        let (m, s, g, b) = (mean[o], scale[o], gamma[o], beta[o])
        let addend = offset ?? 0
        let adds = offset != nil
        for index in 0..<count {
            let value = adds ? source[index] + addend : source[index]
            let normalized = g * ((value - m) * s) + b
            target[index] = rectifies ? (normalized > 0 ? normalized : 0) : normalized
        }
    }
}

/// y = conv(x, w₁) + b₁ and z = conv(x, w₂) + b₂ for one input and two weights of one
/// geometry: per group of images one column matrix of x and one product [w₁; w₂] · col(x)
/// with 2O rows, whose first O rows go to `outputs.0` and the others to `outputs.1`. The
/// forward pass of a convolution and the part of its tangent that is linear in the
/// weights share the column matrix this way. Overwrites both outputs. `workspace` holds
/// at least `geometry.pairWorkspaceCount(threadCount:)` floats. Each output is the same
/// bits as `convolutionForward` gives for its weight.
public func convolutionForwardStacked(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>,
    weights: (UnsafePointer<Float>, UnsafePointer<Float>),
    biases: (UnsafePointer<Float>?, UnsafePointer<Float>?),
    outputs: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
    workspace: UnsafeMutablePointer<Float>, threadCount: Int = Parallelism.threadCount
) {
    let g = geometry
    let paired = g.pairedOutputs
    if g.patchCount == 0 || g.outputChannels == 0 || paired.forwardIsTransposed {
        // Few positions and many channels: the one-image transposed products, one by one.
        convolutionForward(
            g, input: input, weight: weights.0, bias: biases.0, output: outputs.0,
            workspace: workspace, threadCount: threadCount)
        convolutionForward(
            g, input: input, weight: weights.1, bias: biases.1, output: outputs.1,
            workspace: workspace, threadCount: threadCount)
        return
    }
    let workspace = alignedToCacheLine(workspace)
    packStackedWeights(g, weights, transposed: false, into: workspace)
    var rows = ForwardRows(output: outputs.0, bias: biases.0, channels: g.outputChannels)
    rows.second = (outputs.1, biases.1)
    forwardProducts(g, input: input, rows: rows, workspace: workspace, threadCount: threadCount)
}

/// output += conv(x, w): the forward product added to what `output` holds, as the part
/// of a convolution's tangent that is linear in its input is added to the part linear in
/// its weights. `workspace` holds at least `geometry.workspaceCount(threadCount:)` floats.
/// Bit-identical for every thread count.
public func convolutionForwardAdding(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>,
    threadCount: Int = Parallelism.threadCount
) {
    let g = geometry
    if g.patchCount == 0 || g.outputChannels == 0 || g.forwardIsTransposed {
        KernelScratchPool.withScratch(count: g.outputCount) { term in
            convolutionForward(
                g, input: input, weight: weight, bias: nil, output: term, workspace: workspace,
                threadCount: threadCount)
            for index in 0..<g.outputCount { output[index] += term[index] }
        }
        return
    }
    var rows = ForwardRows(output: output, bias: nil, channels: g.outputChannels)
    rows.accumulate = true
    packedForward(
        g, input: input, weight: weight, rows: rows, workspace: alignedToCacheLine(workspace),
        threadCount: threadCount)
}

/// Where the rows of a forward product go: row o < O to channel o of `output` (plus
/// `bias[o]`), row O + o to channel o of `second.output` (plus its bias), written over
/// what the outputs hold or, with `accumulate`, added to it.
struct ForwardRows {
    var output: UnsafeMutablePointer<Float>
    var bias: UnsafePointer<Float>?
    var channels: Int
    var second: (output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?)? = nil
    var accumulate = false
    /// Applied to every value of the first output (a single product only).
    var epilogue: ConvolutionEpilogue? = nil

    /// Rows of the product: O, or 2O with a second output.
    var count: Int { second == nil ? channels : 2 * channels }

    /// Stores `count` values of product row `row` from `source` at output position
    /// `position` of image `image`.
    @inline(__always)
    func store(
        row: Int, image: Int, position: Int, outputSize: Int, from source: UnsafePointer<Float>,
        count: Int
    ) {
        let (term, o) = row.quotientAndRemainder(dividingBy: channels)
        let (base, offsets) = term == 0 ? (output, bias) : (second!.output, second!.bias)
        let target = base + (image * channels + o) * outputSize + position
        if let epilogue {
            epilogue.apply(channel: o, source, offset: offsets?[o], into: target, count: count)
            return
        }
        switch (offsets, accumulate) {
        case (let offsets?, false):
            let value = offsets[o]
            for index in 0..<count { target[index] = source[index] + value }
        case (nil, false):
            target.update(from: source, count: count)
        case (let offsets?, true):
            let value = offsets[o]
            for index in 0..<count { target[index] += source[index] + value }
        case (nil, true):
            for index in 0..<count { target[index] += source[index] }
        }
    }
}

/// The side-by-side forward products for weights already packed as op(A) [rows.count,
/// CRS] at the start of the aligned `workspace`: per group of images the column matrix
/// of the group in packed order, the product, and its rows stored by `rows`.
private func forwardProducts(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, rows destination: ForwardRows,
    workspace: UnsafeMutablePointer<Float>, threadCount: Int
) {
    let layout = destination.second == nil ? g : g.pairedOutputs
    let (outputSize, inputSize, m) = (g.outputSize, g.inputCountPerImage, destination.count)
    forEachImageGroup(
        layout, imagesPerGroup: g.imagesPerProduct, threadCount: threadCount,
        workspace: workspace
    ) {
        images, slot, gemmThreads in
        if rowsAreContiguous(g) && gemmThreads == 1 {
            convolutionForwardFused(
                g, images: images, input: input, packedWeight: workspace, rows: destination)
            return
        }
        let columns = images.count * outputSize
        let rows = slot
        let packedColumns = rows + cacheLines(convolutionRowsPerPack * g.productColumnCount)
        let product =
            packedColumns + cacheLines(gemmPackedBCount(n: g.productColumnCount, k: g.patchCount))

        // product[m, n·PQ] = op(A)[m, CRS] · columns[CRS, n·PQ], the columns built in
        // packed order.
        let group = input + images.lowerBound * inputSize
        if rowsAreContiguous(g) {
            im2colPackedContiguous(g, images: group, count: images.count, packed: packedColumns)
        } else {
            im2colPacked(g, images: group, count: images.count, packed: packedColumns, rows: rows)
        }
        gemmOnPacked(
            m: m, n: columns, k: g.patchCount, alpha: 1, packedA: workspace,
            packedB: packedColumns, beta: 0, c: product, ldc: columns, threadCount: gemmThreads)

        // Row o of the product, image by image, to its output.
        for (offset, image) in images.enumerated() {
            for row in 0..<m {
                destination.store(
                    row: row, image: image, position: 0, outputSize: outputSize,
                    from: product + row * columns + offset * outputSize, count: outputSize)
            }
        }
    }
}

/// The forward product of the images `images` for a geometry with `rowsAreContiguous`,
/// on one thread, a few panels of columns at a time: for each depth block the panels'
/// columns are built straight from the images into a buffer that stays in the level-1
/// and level-2 caches, the register tile sweeps them at once, and the finished columns
/// go to their outputs from a small product buffer. Building the whole packed column
/// matrix first would send it through the outer caches and back. Every element is summed
/// over the same depth blocks in the same order as `gemmOnPacked` sums it.
private func convolutionForwardFused(
    _ g: ConvolutionGeometry, images: Range<Int>, input: UnsafePointer<Float>,
    packedWeight: UnsafePointer<Float>, rows destination: ForwardRows
) {
    let (m, k, outputSize) = (destination.count, g.patchCount, g.outputSize)
    let columns = images.count * outputSize
    let chunk = min(convolutionFusedColumns, roundUp(columns, to: gemmTileColumns))
    let depthBlock = gemmDepthBlock(k: k)
    let paddedRows = roundUp(m, to: gemmTileRows)
    let first = input + images.lowerBound * g.inputCountPerImage
    let panelCount = min(depthBlock, k) * chunk
    let productCount = m * chunk
    let edgeCount = gemmTileRows * gemmTileColumns
    KernelScratchPool.withScratch(count: panelCount + productCount + edgeCount) { scratch in
        let (panels, product, edge) = (
            scratch, scratch + panelCount, scratch + panelCount + productCount
        )
        for chunkStart in stride(from: 0, to: columns, by: chunk) {
            let chunkColumns = min(chunk, columns - chunkStart)
            for blockStart in stride(from: 0, to: k, by: depthBlock) {
                let depths = blockStart..<min(k, blockStart + depthBlock)
                im2colPanelsOfBlock(
                    g, images: first, count: images.count,
                    columns: chunkStart..<(chunkStart + chunkColumns), depths: depths,
                    into: panels)
                gemmMacrokernel(
                    rows: m, columns: chunkColumns, depth: depths.count,
                    packedA: packedWeight + paddedRows * blockStart, packedB: panels, alpha: 1,
                    beta: blockStart == 0 ? 0 : 1, c: product, ldc: chunk, edge: edge)
            }

            // Row o of the product to its output, one run per image the chunk touches.
            var column = chunkStart
            while column < chunkStart + chunkColumns {
                let (image, position) = column.quotientAndRemainder(dividingBy: outputSize)
                let run = min(outputSize - position, chunkStart + chunkColumns - column)
                for row in 0..<m {
                    destination.store(
                        row: row, image: images.lowerBound + image, position: position,
                        outputSize: outputSize, from: product + row * chunk + (column - chunkStart),
                        count: run)
                }
                column += run
            }
        }
    }
}

/// Columns of the output that `convolutionForwardFused` computes at a time: four panels,
/// whose packed columns for one depth block (at most 512 × 64 floats) stay in the
/// level-2 cache and one panel of them in the level-1 cache.
let convolutionFusedColumns = 4 * gemmTileColumns

/// dx = Σ over outputs of w · dy (the transposed convolution). Overwrites `inputGradient`.
/// Per group of images: columns[CRS, n·PQ] = wᵀ · dy, then col2im adds the columns into
/// dx. `workspace` holds at least `geometry.workspaceCount` floats. Bit-identical for
/// every thread count.
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
    let workspace = alignedToCacheLine(workspace)
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
    gemmPackWholeA(
        weight, lda: g.patchCount, transposed: true, m: g.patchCount, k: g.outputChannels,
        into: workspace)
    backwardInputProducts(
        g, outputGradients: (outputGradient, nil), inputGradient: inputGradient,
        workspace: workspace, threadCount: threadCount)
}

extension ConvolutionGeometry {
    /// The geometry of the product of `convolutionBackwardInputPair`, whose depth is 2O:
    /// its workspace is laid out as that of a convolution with twice the output channels.
    var pairedOutputs: ConvolutionGeometry {
        var g = self
        g.outputChannels *= 2
        return g
    }

    /// Floats of scratch memory `convolutionBackwardInputPair` needs, read at the time of
    /// the call (it depends on `Parallelism.threadCount`); also enough for every single
    /// pass of this geometry.
    public var pairWorkspaceCount: Int { pairWorkspaceCount(threadCount: Parallelism.threadCount) }

    /// `pairWorkspaceCount` for an explicit thread count.
    public func pairWorkspaceCount(threadCount: Int) -> Int {
        max(
            workspaceCount(threadCount: threadCount),
            pairedOutputs.workspaceCount(threadCount: threadCount))
    }
}

/// dx = convᵀ(dy₁, w₁) + convᵀ(dy₂, w₂) for two output gradients and two weights of one
/// geometry, the input-gradient tangent of a convolution: per group of images one
/// product columns[CRS, n·PQ] = [w₁ᵀ | w₂ᵀ] · [dy₁; dy₂] of depth 2O, then one col2im
/// into dx, instead of two products, two col2ims and a sum of the two images. Overwrites
/// `inputGradient`. `workspace` holds at least `geometry.pairWorkspaceCount(threadCount:)`
/// floats. Bit-identical for every thread count.
public func convolutionBackwardInputPair(
    _ geometry: ConvolutionGeometry,
    outputGradients: (UnsafePointer<Float>, UnsafePointer<Float>),
    weights: (UnsafePointer<Float>, UnsafePointer<Float>),
    inputGradient: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>,
    threadCount: Int = Parallelism.threadCount
) {
    let g = geometry
    let paired = g.pairedOutputs
    if g.outputChannels == 0 || paired.backwardInputIsTransposed {
        // Few positions and many channels: the one-image transposed products, summed.
        convolutionBackwardInput(
            g, outputGradient: outputGradients.0, weight: weights.0,
            inputGradient: inputGradient, workspace: workspace, threadCount: threadCount)
        KernelScratchPool.withScratch(count: g.inputCount) { term in
            convolutionBackwardInput(
                g, outputGradient: outputGradients.1, weight: weights.1, inputGradient: term,
                workspace: workspace, threadCount: threadCount)
            for index in 0..<g.inputCount { inputGradient[index] += term[index] }
        }
        return
    }
    let workspace = alignedToCacheLine(workspace)
    packStackedWeights(g, weights, transposed: true, into: workspace)
    backwardInputProducts(
        g, outputGradients: outputGradients, inputGradient: inputGradient,
        workspace: workspace, threadCount: threadCount)
}

/// [w₁; w₂] stored [2O, CRS] and packed whole as op(A): as it is, [2O, CRS], for a
/// forward product, or `transposed`, [CRS, 2O], for a backward-input product.
private func packStackedWeights(
    _ g: ConvolutionGeometry, _ weights: (UnsafePointer<Float>, UnsafePointer<Float>),
    transposed: Bool, into packed: UnsafeMutablePointer<Float>
) {
    let (rows, depth) = (2 * g.outputChannels, g.patchCount)
    KernelScratchPool.withScratch(count: 2 * g.weightCount) { stacked in
        copyFloats(stacked, weights.0, count: g.weightCount)
        copyFloats(stacked + g.weightCount, weights.1, count: g.weightCount)
        gemmPackWholeA(
            stacked, lda: depth, transposed: transposed, m: transposed ? depth : rows,
            k: transposed ? rows : depth, into: packed)
    }
}

/// Packs [a₁; a₂], two row-major [rows, k] matrices, as one op(A) [2·rows, k] without
/// copying them together first: when `rows` fills whole panels of the register tile, the
/// panels of a₂ follow those of a₁ in every depth block, as `gemmPackWholeA` lays out the
/// stacked matrix.
/// - Precondition: `rows` is a multiple of `gemmTileRows`.
private func packStackedRows(
    _ a: (UnsafePointer<Float>, UnsafePointer<Float>), rows: Int, lda: Int, k: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    precondition(rows % gemmTileRows == 0, "\(rows) rows do not fill whole tile panels")
    let depthBlock = gemmDepthBlock(k: k)
    for start in stride(from: 0, to: k, by: depthBlock) {
        let depth = min(depthBlock, k - start)
        let block = packed + 2 * rows * start
        gemmPackA(a.0 + start, lda: lda, transposed: false, rows: rows, depth: depth, into: block)
        gemmPackA(
            a.1 + start, lda: lda, transposed: false, rows: rows, depth: depth,
            into: block + rows * depth)
    }
}

/// The side-by-side products of the backward-input pass and of its pair, for weights
/// already packed as op(A) [CRS, O] (one term) or [CRS, 2O] (two) at the start of the
/// aligned `workspace`: per group of images the output gradients of the group as op(B)
/// [O or 2O, n·PQ], the product into the column matrix, and col2im into dx.
private func backwardInputProducts(
    _ g: ConvolutionGeometry, outputGradients: (UnsafePointer<Float>, UnsafePointer<Float>?),
    inputGradient: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>,
    threadCount: Int
) {
    let layout = outputGradients.1 == nil ? g : g.pairedOutputs
    let (channels, depth) = (g.outputChannels, layout.outputChannels)
    let (outputSize, inputSize) = (g.outputSize, g.inputCountPerImage)
    forEachImageGroup(
        layout, imagesPerGroup: g.imagesPerProduct, threadCount: threadCount,
        workspace: workspace
    ) {
        images, slot, gemmThreads in
        let columns = images.count * outputSize
        let imageOffset = images.lowerBound * channels * outputSize
        let dx = inputGradient + images.lowerBound * inputSize
        let rows = slot
        let packedGradient = rows + cacheLines(convolutionRowsPerPack * g.productColumnCount)
        let columnMatrix =
            packedGradient + cacheLines(gemmPackedBCount(n: g.productColumnCount, k: depth))

        // dy (or [dy₁; dy₂]) of the group as op(B) [depth, n·PQ], a few rows at a time.
        var start = 0
        while start < depth {
            let rowCount = gemmRowsInBlock(from: start, k: depth, limit: convolutionRowsPerPack)
            for row in start..<(start + rowCount) {
                let (term, channel) = row.quotientAndRemainder(dividingBy: channels)
                let dy = term == 0 ? outputGradients.0 : outputGradients.1!
                gatherChannel(
                    dy + imageOffset, channel: channel, channels: channels,
                    planeSize: outputSize, imageCount: images.count,
                    into: rows + (row - start) * columns)
            }
            gemmPackRowsOfB(
                rows, rowCount: rowCount, rowStride: columns, depth: start, n: columns, k: depth,
                into: packedGradient)
            start += rowCount
        }

        // columns[CRS, n·PQ] = op(A) · op(B), straight into dx for one image and a 1 × 1
        // kernel.
        let direct = g.isPointwise && images.count == 1
        gemmOnPacked(
            m: g.patchCount, n: columns, k: depth, alpha: 1, packedA: workspace,
            packedB: packedGradient, beta: 0, c: direct ? dx : columnMatrix, ldc: columns,
            threadCount: gemmThreads)

        // Scatter-add the columns back to image positions.
        if direct { return }
        for offset in 0..<images.count {
            col2im(
                g, columns: columnMatrix + offset * outputSize, rowStride: columns,
                image: dx + offset * inputSize)
        }
    }
}

/// dw[o,c,r,s] = Σ_{n,p,q} dy[n,o,p,q] · x[n,c,…]. Adds into `weightGradient` when
/// `accumulate` is true, else overwrites it. `workspace` holds at least
/// `geometry.workspaceCount` floats.
///
/// The batch is cut into at most 8 contiguous groups of images, fixed by the batch size;
/// each group is summed into its own partial gradient by one thread, in nearly equal runs
/// of at most `imagesPerWeightProduct` images (fixed by the geometry), one product
/// dy[O, n·PQ] · columnsᵀ[n·PQ, CRS] per run with the columns written straight into packed
/// order: from a channels-last copy of the run's images, with the patch in (r, s, c)
/// order, when C is a multiple of 16 (`im2colChannelsLastPackedB`), else row by row with
/// a transpose (`im2colTransposedPackedB`). The partials are added to the result in group
/// order, and the permuted patch order is undone there. The result is therefore
/// bit-identical for every thread count.
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
    backwardWeightProducts(
        geometry, input: input, outputGradients: (outputGradient, nil),
        weightGradients: (weightGradient, nil), accumulate: accumulate,
        workspace: alignedToCacheLine(workspace), threadCount: threadCount)
}

/// dw₁ = corr(x, dy₁) and dw₂ = corr(x, dy₂) for one input and two output gradients of
/// one geometry, the weight gradient of a convolution and the part of its tangent that
/// is linear in the output-gradient tangent: one product [dy₁; dy₂] · columnsᵀ with 2O
/// rows per run of images, so that the column matrix of x is built once for both.
/// Overwrites both weight gradients, each with the bits `convolutionBackwardWeight` gives
/// for its output gradient. `workspace` holds at least
/// `geometry.pairWorkspaceCount(threadCount:)` floats.
public func convolutionBackwardWeightPair(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>,
    outputGradients: (UnsafePointer<Float>, UnsafePointer<Float>),
    weightGradients: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
    workspace: UnsafeMutablePointer<Float>, threadCount: Int = Parallelism.threadCount
) {
    if !geometry.pairedOutputs.partialGradientsAreSeparate {
        // One image in the weights' own patch order: each product writes its gradient.
        for (dy, dw) in [
            (outputGradients.0, weightGradients.0), (outputGradients.1, weightGradients.1),
        ] {
            convolutionBackwardWeight(
                geometry, input: input, outputGradient: dy, weightGradient: dw,
                accumulate: false, workspace: workspace, threadCount: threadCount)
        }
        return
    }
    backwardWeightProducts(
        geometry, input: input, outputGradients: (outputGradients.0, outputGradients.1),
        weightGradients: (weightGradients.0, weightGradients.1), accumulate: false,
        workspace: alignedToCacheLine(workspace), threadCount: threadCount)
}

/// The weight-gradient products for one output gradient, or for two stacked as the rows
/// of one product (whose partial gradients are then those of a geometry with 2O output
/// channels, always separate). `workspace` is aligned.
private func backwardWeightProducts(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>,
    outputGradients: (UnsafePointer<Float>, UnsafePointer<Float>?),
    weightGradients: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?),
    accumulate: Bool, workspace: UnsafeMutablePointer<Float>, threadCount: Int
) {
    let paired = outputGradients.1 != nil
    let layout = paired ? g.pairedOutputs : g
    let (channels, m) = (g.outputChannels, layout.outputChannels)
    let (outputSize, inputSize) = (g.outputSize, g.inputCountPerImage)
    let depth = g.patchCount
    let groups = g.partialGradientCount
    let workers = min(g.workerCount(threadCount: threadCount), groups)
    if g.batch == 0 || outputSize == 0 {
        if !accumulate {
            weightGradients.0.update(repeating: 0, count: g.weightCount)
            weightGradients.1?.update(repeating: 0, count: g.weightCount)
        }
        return
    }

    // Partial sums, one per group of images (the result itself for a single group in the
    // weights' own patch order).
    let channelsLast = g.weightGradientReadsChannelsLast
    let separate = layout.partialGradientsAreSeparate
    let partialCount = layout.weightCount
    let partials = workspace + layout.partialsOffset(workerCount: workers)
    if groups == 1 && channelsLast && accumulate {
        for index in 0..<g.weightCount {
            let patch = index % depth
            partials[index - patch + g.channelsLastPatchIndex(patch)] = weightGradients.0[index]
        }
    }
    Parallelism.runWorkers(workers) { worker in
        let rows = workspace + layout.slotOffset(worker: worker)
        let packedGradient = rows + cacheLines(max(gemmTileColumns, m) * g.productColumnCount)
        let packedColumns =
            packedGradient + cacheLines(gemmPackedACount(m: m, k: g.productColumnCount))
        let channelsLastImages =
            packedColumns + cacheLines(gemmPackedBCount(n: depth, k: g.productColumnCount))
        let gemmThreads = workers == 1 ? threadCount : 1
        for group in stride(from: worker, to: groups, by: workers) {
            let partial = separate ? partials + group * partialCount : weightGradients.0
            var first = groups > 1 || !accumulate
            let groupImages = (g.batch * group / groups)..<(g.batch * (group + 1) / groups)
            for images in evenRuns(groupImages, longest: g.imagesPerWeightProduct) {
                let x = input + images.lowerBound * inputSize
                let offset = images.lowerBound * channels * outputSize
                let columns = images.count * outputSize

                // dy of the run (or [dy₁; dy₂]) as A [m, n·PQ], gathered first when the run
                // has several images (or, for two, when O rows do not fill whole panels of
                // the register tile), and columnsᵀ[n·PQ, CRS] as B, row (c, r, s) of the
                // column matrix becoming column (c, r, s) of B.
                if images.count > 1 || (paired && channels % gemmTileRows != 0) {
                    for row in 0..<m {
                        let (term, o) = row.quotientAndRemainder(dividingBy: channels)
                        let dy = term == 0 ? outputGradients.0 : outputGradients.1!
                        gatherChannel(
                            dy + offset, channel: o, channels: channels, planeSize: outputSize,
                            imageCount: images.count, into: rows + row * columns)
                    }
                    gemmPackWholeA(
                        rows, lda: columns, transposed: false, m: m, k: columns,
                        into: packedGradient)
                } else if let second = outputGradients.1 {
                    packStackedRows(
                        (outputGradients.0 + offset, second + offset), rows: channels,
                        lda: columns, k: columns, into: packedGradient)
                } else {
                    gemmPackWholeA(
                        outputGradients.0 + offset, lda: columns, transposed: false, m: m,
                        k: columns, into: packedGradient)
                }
                if channelsLast {
                    channelsLastCopy(g, images: x, count: images.count, into: channelsLastImages)
                    im2colChannelsLastPackedB(
                        g, channelsLast: channelsLastImages, count: images.count,
                        packed: packedColumns)
                } else {
                    im2colTransposedPackedB(
                        g, images: x, count: images.count, packed: packedColumns, rows: rows)
                }

                // partial[m, CRS] (+)= dy · columnsᵀ.
                gemmOnPacked(
                    m: m, n: depth, k: columns, alpha: 1, packedA: packedGradient,
                    packedB: packedColumns, beta: first ? 0 : 1, c: partial, ldc: depth,
                    threadCount: gemmThreads)
                first = false
            }
        }
    }
    if !separate { return }

    // Add the partials in group order (a single one, which holds any accumulated gradient
    // already, is copied), split over threads by weight index; the partials of a
    // channels-last product are read in its (r, s, c) patch order. Row o of a stacked
    // product belongs to the first gradient for o < O, to the second after.
    let chunks = max(1, min(threadCount, partialCount / 4096))
    Parallelism.runWorkers(chunks) { chunk in
        let lower = partialCount * chunk / chunks
        let upper = partialCount * (chunk + 1) / chunks
        for index in lower..<upper {
            let patch = index % depth
            let source = channelsLast ? index - patch + g.channelsLastPatchIndex(patch) : index
            let (term, local) = index.quotientAndRemainder(dividingBy: g.weightCount)
            let target = term == 0 ? weightGradients.0 : weightGradients.1!
            if groups == 1 {
                target[local] = partials[source]
                continue
            }
            var sum: Float = accumulate ? target[local] : 0
            for group in 0..<groups { sum += partials[group * partialCount + source] }
            target[local] = sum
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

/// Runs `body(images, slot, gemmThreads)` on runs of at most `imagesPerGroup` consecutive
/// images covering the batch: the batch is split into one contiguous share per worker
/// (`geometry.workerCount(threadCount:)` of them), each share into nearly equal runs. Each
/// worker has its own slot of the workspace (after the packed weights; `workspace` is
/// aligned to a cache line) and
/// single-threaded products, or a single worker has a threaded product.
func forEachImageGroup(
    _ g: ConvolutionGeometry, imagesPerGroup: Int, threadCount: Int,
    workspace: UnsafeMutablePointer<Float>,
    _ body: (Range<Int>, UnsafeMutablePointer<Float>, Int) -> Void
) {
    let workers = g.workerCount(threadCount: threadCount)
    let gemmThreads = workers == 1 ? threadCount : 1
    Parallelism.runWorkers(workers) { worker in
        let slot = workspace + g.slotOffset(worker: worker)
        let share = (g.batch * worker / workers)..<(g.batch * (worker + 1) / workers)
        for images in evenRuns(share, longest: imagesPerGroup) {
            body(images, slot, gemmThreads)
        }
    }
}

/// `range` cut into ⌈count / longest⌉ contiguous runs whose lengths differ by at most 1.
func evenRuns(_ range: Range<Int>, longest: Int) -> [Range<Int>] {
    if range.isEmpty { return [] }
    let runCount = (range.count + longest - 1) / longest
    return (0..<runCount).map { run in
        let lower = range.lowerBound + range.count * run / runCount
        let upper = range.lowerBound + range.count * (run + 1) / runCount
        return lower..<upper
    }
}

/// Channel `channel` of `imageCount` consecutive images of an [N, channels, planeSize]
/// tensor starting at `tensor`, copied side by side into `row` (imageCount·planeSize
/// floats).
@inline(__always)
func gatherChannel(
    _ tensor: UnsafePointer<Float>, channel: Int, channels: Int, planeSize: Int,
    imageCount: Int, into row: UnsafeMutablePointer<Float>
) {
    for image in 0..<imageCount {
        copyFloats(
            row + image * planeSize, tensor + (image * channels + channel) * planeSize,
            count: planeSize)
    }
}
