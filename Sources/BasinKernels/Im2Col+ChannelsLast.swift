// Dimension letters as in Convolution.swift. The weight-gradient product
// dw[O, ·] = dy[O, n·P·Q] · columnsᵀ[n·P·Q, ·] reads the column matrix transposed: each
// packed row of op(B) holds sixteen patch values of one output position. Read from the
// image as stored (NCHW) those sixteen values lie in different rows of the column matrix,
// so building them costs a transpose of the whole column matrix (R·S times the image).
// With the image copied channels-last ([H, W, C], one transpose of the image itself) and
// the patch ordered (r, s, c) instead of (c, r, s), sixteen consecutive patch values are
// sixteen consecutive channels of one input pixel: one contiguous run of the copy, or
// padding zeros. Permuting the columns of B only permutes the columns of the product,
// each summed as before, so the weight gradient is unchanged to the bit.

extension ConvolutionGeometry {
    /// Whether the weight gradient packs its column matrix from a channels-last copy of
    /// the images (`im2colChannelsLastPackedB`): when every 16-column panel of the
    /// (r, s, c)-ordered patch is sixteen channels of one kernel offset, that is when C
    /// is a multiple of 16.
    var weightGradientReadsChannelsLast: Bool {
        inputChannels > 0 && inputChannels % gemmTileColumns == 0
    }

    /// Where patch index (c, r, s) of the weights ((c·R + r)·S + s) sits in the
    /// (r, s, c) order of the channels-last column matrix: (r·S + s)·C + c.
    @inline(__always)
    func channelsLastPatchIndex(_ index: Int) -> Int {
        let (c, kernelOffset) = index.quotientAndRemainder(
            dividingBy: kernelHeight * kernelWidth)
        return kernelOffset * inputChannels + c
    }
}

/// Copies `count` images from [C, H, W] to channels-last [H, W, C] order: element
/// (c, h, w) of image n goes to `target[((n·H + h)·W + w)·C + c]`. Eight positions of
/// each channel are read as one vector, so that every source line is read once.
func channelsLastCopy(
    _ g: ConvolutionGeometry, images: UnsafePointer<Float>, count: Int,
    into target: UnsafeMutablePointer<Float>
) {
    let channels = g.inputChannels
    let planeSize = g.inputHeight * g.inputWidth
    let imageSize = channels * planeSize
    for image in 0..<count {
        let source = images + image * imageSize
        let destination = target + image * imageSize
        var position = 0
        while position + 8 <= planeSize {
            let rows = destination + position * channels
            for c in 0..<channels {
                let values = UnsafeRawPointer(source + c * planeSize + position).loadUnaligned(
                    as: SIMD8<Float>.self)
                for lane in 0..<8 { rows[lane &* channels &+ c] = values[lane] }
            }
            position += 8
        }
        while position < planeSize {
            for c in 0..<channels {
                destination[position * channels + c] = source[c * planeSize + position]
            }
            position += 1
        }
    }
}

/// Writes the transposed column matrices of `count` consecutive images, stacked as
/// [count·P·Q, R·S·C] with the patch in (r, s, c) order, into whole-matrix packed-B order
/// for the product dy · columnsᵀ, reading the images from their channels-last copy
/// (`channelsLastCopy`). Packed row (n, p, q) of panel (r, s, c₀ ..< c₀ + 16) is
/// x[n, c₀ ..< c₀ + 16, p·stride + r − pad, q·stride + s − pad]: sixteen contiguous
/// floats of the copy, or zeros where the input position falls in the padding.
/// - Precondition: `g.weightGradientReadsChannelsLast`.
func im2colChannelsLastPackedB(
    _ g: ConvolutionGeometry, channelsLast images: UnsafePointer<Float>, count: Int,
    packed: UnsafeMutablePointer<Float>
) {
    precondition(g.weightGradientReadsChannelsLast, "\(g) has no 16-channel panels")
    let tile = gemmTileColumns
    let channels = g.inputChannels
    let (outW, outputSize) = (g.outputWidth, g.outputSize)
    let depth = g.patchCount
    let columns = count * outputSize
    let depthBlock = gemmDepthBlock(k: columns)
    let pixelStride = g.stride * channels
    for blockStart in stride(from: 0, to: columns, by: depthBlock) {
        let blockEnd = min(columns, blockStart + depthBlock)
        for panel in 0..<depth / tile {
            let (kernelOffset, firstChannel) = (panel * tile).quotientAndRemainder(
                dividingBy: channels)
            let (r, s) = kernelOffset.quotientAndRemainder(dividingBy: g.kernelWidth)
            let validRows = validOutputRows(kernelRow: r, geometry: g)
            let valid = validOutputColumns(kernelColumn: s, geometry: g)
            var target = packed + depth * blockStart + panel * tile * (blockEnd - blockStart)

            // The block's positions, one stretch of an output row at a time.
            var column = blockStart
            while column < blockEnd {
                let (image, position) = column.quotientAndRemainder(dividingBy: outputSize)
                let (p, first) = position.quotientAndRemainder(dividingBy: outW)
                let end = min(outW, first + blockEnd - column)
                if validRows.contains(p) {
                    let copyStart = min(max(first, valid.lowerBound), end)
                    let copyEnd = max(min(end, valid.upperBound), copyStart)
                    fillZeros(target, count: (copyStart - first) * tile)
                    target += (copyStart - first) * tile

                    // Pixel (h, q·stride + s − pad) of image n, from its first channel.
                    if copyStart < copyEnd {
                        let h = p * g.stride + r - g.padding
                        let w = copyStart * g.stride + s - g.padding
                        var source =
                            images + image * g.inputCountPerImage
                            + (h * g.inputWidth + w) * channels + firstChannel
                        for _ in copyStart..<copyEnd {
                            UnsafeMutableRawPointer(target).storeBytes(
                                of: UnsafeRawPointer(source).loadUnaligned(as: SIMD16<Float>.self),
                                as: SIMD16<Float>.self)
                            source += pixelStride
                            target += tile
                        }
                    }
                    fillZeros(target, count: (end - copyEnd) * tile)
                    target += (end - copyEnd) * tile
                } else {
                    fillZeros(target, count: (end - first) * tile)
                    target += (end - first) * tile
                }
                column += end - first
            }
        }
    }
}
