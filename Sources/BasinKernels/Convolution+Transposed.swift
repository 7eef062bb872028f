// Dimension letters as in Convolution.swift: N batch, C input channels, O output channels,
// P × Q output, R × S kernel.
//
// The forward and backward-input passes for batches too small to fill the columns of the
// grouped product: one image at a time, with the output positions as the rows of the
// product (see `ConvolutionGeometry.forwardIsTransposed`).

/// The forward pass as yᵀ[PQ, O] = columnsᵀ[PQ, CRS] · wᵀ[CRS, O], then transposed into
/// y with the bias added (see `ConvolutionGeometry.forwardIsTransposed`).
func convolutionForwardTransposed(
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
    forEachImageGroup(g, imagesPerGroup: 1, threadCount: threadCount, workspace: workspace) {
        images, slot, gemmThreads in
        let image = images.lowerBound
        let x = input + image * inputSize
        let y = output + image * g.outputChannels * outputSize

        // yᵀ[PQ, O] into the slot, the transposed columns built in packed order.
        let transposedOutput = slot + cacheLines(outputSize)
        let packedColumns = transposedOutput + cacheLines(outputSize * g.outputChannels)
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

/// The backward-input pass as columnsᵀ[PQ, CRS] = dyᵀ[PQ, O] · w[O, CRS], then scattered
/// into dx (see `ConvolutionGeometry.backwardInputIsTransposed`). Each column entry is the
/// same sum as in the plain product, so the result is bit-identical to it.
func convolutionBackwardInputTransposed(
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
    forEachImageGroup(g, imagesPerGroup: 1, threadCount: threadCount, workspace: workspace) {
        images, slot, gemmThreads in
        let image = images.lowerBound
        let dy = outputGradient + image * g.outputChannels * outputSize
        let dx = inputGradient + image * inputSize

        // columnsᵀ[PQ, CRS] = dyᵀ · w.
        let packedGradient = slot
        gemmPackWholeA(
            dy, lda: outputSize, transposed: true, m: outputSize, k: g.outputChannels,
            into: packedGradient)
        let transposedColumns =
            slot + cacheLines(gemmPackedACount(m: outputSize, k: g.outputChannels))
        gemmOnPacked(
            m: outputSize, n: g.patchCount, k: g.outputChannels, alpha: 1,
            packedA: packedGradient, packedB: packedWeight, beta: 0, c: transposedColumns,
            ldc: g.patchCount, threadCount: gemmThreads)

        // Scatter-add the columns back to image positions.
        col2imTransposed(g, transposedColumns: transposedColumns, image: dx)
    }
}
