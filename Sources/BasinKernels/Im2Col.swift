// Dimension letters as in Convolution.swift: C input channels, H × W input, P × Q output,
// R × S kernel.
//
// The column matrix of one image is [C·R·S, P·Q], row-major: row (c, r, s) holds, for
// every output position (p, q), the input value x[c, p·stride + r − pad, q·stride + s − pad]
// (zero where that falls in the padding). A convolution is then one matrix product with
// the weights [O, C·R·S]. The kernels never store the plain matrix: they build it a row
// at a time (`im2colRow`) and write each row straight into the packed panel order of the
// product that consumes it, or, for a stride-1 "same" convolution, read each packed panel
// straight from the image (Im2Col+Contiguous.swift).

/// The range of output columns q whose input column w = q·stride + s − pad lies in
/// [0, W); outside it the column matrix holds padding zeros.
@inline(__always)
func validOutputColumns(kernelColumn s: Int, geometry g: ConvolutionGeometry) -> Range<Int> {
    let outW = g.outputWidth
    let firstOffset = g.padding - s
    let low = firstOffset > 0 ? (firstOffset + g.stride - 1) / g.stride : 0
    let lastOffset = g.inputWidth - 1 + g.padding - s
    let high = lastOffset < 0 ? 0 : min(outW, lastOffset / g.stride + 1)
    return min(low, high)..<high
}

/// The range of output rows p whose input row h = p·stride + r − pad lies in [0, H).
@inline(__always)
func validOutputRows(kernelRow r: Int, geometry g: ConvolutionGeometry) -> Range<Int> {
    let low = max(0, (g.padding - r + g.stride - 1) / g.stride)
    let lastOffset = g.inputHeight - 1 + g.padding - r
    let high = lastOffset < 0 ? low : max(low, min(g.outputHeight, lastOffset / g.stride + 1))
    return low..<high
}

/// Whether output position p·Q + q reads input element p·Q + q + (fixed offset) in every
/// row (c, r, s) of the column matrix: stride 1 and an output as wide as the input (a
/// "same" convolution), so that a row of the column matrix is one run of the image.
@inline(__always)
func rowsAreContiguous(_ g: ConvolutionGeometry) -> Bool {
    g.stride == 1 && g.outputWidth == g.inputWidth
}

/// Rows `first ..< first + rowCount` of the side-by-side column matrix of `count`
/// consecutive images, [rowCount, count·P·Q], into `rows`.
@inline(__always)
func im2colRows(
    _ g: ConvolutionGeometry, images: UnsafePointer<Float>, count: Int, from first: Int,
    rowCount: Int, into rows: UnsafeMutablePointer<Float>
) {
    let outputSize = g.outputHeight * g.outputWidth
    let inputSize = g.inputChannels * g.inputHeight * g.inputWidth
    let kernelSize = g.kernelHeight * g.kernelWidth
    for offset in 0..<rowCount {
        let index = first + offset
        for image in 0..<count {
            im2colRow(
                g, image: images + image * inputSize, channel: index / kernelSize,
                kernelRow: index % kernelSize / g.kernelWidth,
                kernelColumn: index % g.kernelWidth,
                into: rows + offset * count * outputSize + image * outputSize)
        }
    }
}

/// Writes the column matrices of `count` consecutive images (the first at `images`) side
/// by side, [C·R·S, count·P·Q], straight into whole-matrix packed-B order for the product
/// weight[O, C·R·S] · columns: up to `convolutionRowsPerPack` rows at a time are built in
/// `rows` (scratch for 8·count·P·Q floats) and packed together (`gemmPackRowsOfB`).
func im2colPacked(
    _ g: ConvolutionGeometry, images: UnsafePointer<Float>, count: Int,
    packed: UnsafeMutablePointer<Float>, rows: UnsafeMutablePointer<Float>
) {
    let columns = count * g.outputHeight * g.outputWidth
    let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
    var start = 0
    while start < depth {
        let rowCount = gemmRowsInBlock(from: start, k: depth, limit: convolutionRowsPerPack)
        im2colRows(g, images: images, count: count, from: start, rowCount: rowCount, into: rows)
        gemmPackRowsOfB(
            rows, rowCount: rowCount, rowStride: columns, depth: start, n: columns, k: depth,
            into: packed)
        start += rowCount
    }
}

/// Writes the transposed column matrix of one image, [P·Q, C·R·S], straight into
/// whole-matrix packed-A order (`gemmPackColumnOfA`) for the product
/// columnsᵀ · weightᵀ; `row` is scratch for P·Q floats.
func im2colTransposedPacked(
    _ g: ConvolutionGeometry, image: UnsafePointer<Float>, packed: UnsafeMutablePointer<Float>,
    row: UnsafeMutablePointer<Float>
) {
    let outputSize = g.outputHeight * g.outputWidth
    let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
    var index = 0
    for c in 0..<g.inputChannels {
        for r in 0..<g.kernelHeight {
            for s in 0..<g.kernelWidth {
                im2colRow(g, image: image, channel: c, kernelRow: r, kernelColumn: s, into: row)
                gemmPackColumnOfA(row, depth: index, m: outputSize, k: depth, into: packed)
                index += 1
            }
        }
    }
}

/// Writes the transposed column matrices of `count` consecutive images (the first at
/// `images`), stacked as [count·P·Q, C·R·S], into whole-matrix packed-B order for the
/// product dy · columnsᵀ: sixteen rows of the side-by-side column matrix at a time are
/// built in `rows` (scratch for 16·count·P·Q floats) and packed as one transposed panel,
/// so every store writes a full vector.
func im2colTransposedPackedB(
    _ g: ConvolutionGeometry, images: UnsafePointer<Float>, count: Int,
    packed: UnsafeMutablePointer<Float>, rows: UnsafeMutablePointer<Float>
) {
    let columns = count * g.outputHeight * g.outputWidth
    let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
    let paddedColumns = roundUp(depth, to: gemmTileColumns)
    let depthBlock = gemmDepthBlock(k: columns)
    for panelStart in stride(from: 0, to: depth, by: gemmTileColumns) {
        let panelColumns = min(gemmTileColumns, depth - panelStart)

        // Rows (c, r, s) of this panel, one after another, each over all the images.
        im2colRows(
            g, images: images, count: count, from: panelStart, rowCount: panelColumns, into: rows)

        // Their transpose, one depth block at a time.
        for start in stride(from: 0, to: columns, by: depthBlock) {
            let blockDepth = min(depthBlock, columns - start)
            gemmPackB(
                rows + start, ldb: columns, transposed: true, depth: blockDepth,
                columns: panelColumns,
                into: packed + paddedColumns * start + panelStart * blockDepth)
        }
    }
}

/// Row (c, r, s) of the column matrix: P·Q floats.
@inline(__always)
func im2colRow(
    _ g: ConvolutionGeometry, image: UnsafePointer<Float>, channel c: Int, kernelRow r: Int,
    kernelColumn s: Int, into row: UnsafeMutablePointer<Float>
) {
    let (outH, outW) = (g.outputHeight, g.outputWidth)
    let plane = image + c * g.inputHeight * g.inputWidth
    let valid = validOutputColumns(kernelColumn: s, geometry: g)
    let shift = s - g.padding

    let rows = validOutputRows(kernelRow: r, geometry: g)
    let (firstRow, endRow) = (rows.lowerBound, rows.upperBound)
    if endRow == firstRow || valid.isEmpty {
        fillZeros(row, count: outH * outW)
        return
    }
    fillZeros(row, count: firstRow * outW)
    fillZeros(row + endRow * outW, count: (outH - endRow) * outW)

    if rowsAreContiguous(g) {
        // Output position p·Q + q reads input element (p + r − pad)·W + q + shift, so the
        // valid values are one contiguous copy; the few padding columns it covers are
        // zeroed after.
        let first = firstRow * outW + valid.lowerBound
        let last = (endRow - 1) * outW + valid.upperBound
        copyFloats(
            row + first, plane + (first + (r - g.padding) * outW + shift), count: last - first)
        for p in firstRow..<endRow {
            fillZeros(row + p * outW, count: valid.lowerBound)
            fillZeros(row + p * outW + valid.upperBound, count: outW - valid.upperBound)
        }
        return
    }

    for p in firstRow..<endRow {
        let target = row + p * outW
        let h = p * g.stride + r - g.padding

        // Padding zeros left and right, input values between.
        let source = plane + h * g.inputWidth + shift
        fillZeros(target, count: valid.lowerBound)
        if g.stride == 1 {
            copyFloats(target + valid.lowerBound, source + valid.lowerBound, count: valid.count)
        } else {
            for q in valid { target[q] = source[q * g.stride] }
        }
        fillZeros(target + valid.upperBound, count: outW - valid.upperBound)
    }
}

/// target[i] = source[i] for i in 0..<count, eight lanes at a time: inline, for the short
/// runs of im2col, where a call to memmove would cost more than the copy.
@inline(__always)
func copyFloats(
    _ target: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, count: Int
) {
    let (targetRaw, sourceRaw) = (UnsafeMutableRawPointer(target), UnsafeRawPointer(source))
    var index = 0
    while index + 8 <= count {
        targetRaw.storeBytes(
            of: sourceRaw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self),
            toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        target[index] = source[index]
        index += 1
    }
}

/// target[i] = 0 for i in 0..<count, inline (see `copyFloats`).
@inline(__always)
func fillZeros(_ target: UnsafeMutablePointer<Float>, count: Int) {
    let raw = UnsafeMutableRawPointer(target)
    var index = 0
    while index + 8 <= count {
        raw.storeBytes(of: SIMD8<Float>(), toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        target[index] = 0
        index += 1
    }
}

/// The adjoint of `im2col`: adds every entry of `columns` ([C·R·S, P·Q], rows `rowStride`
/// floats apart) into the input position it was read from; overwrites `image` ([C, H, W]).
/// Each image element is +0 plus its terms in ascending (r, s, p, q) order. The entries
/// of `columns` that fall in the padding may be set to zero. A geometry with
/// `rowsAreContiguous` sums each element's terms in registers (`col2imContiguous`).
func col2im(
    _ g: ConvolutionGeometry, columns: UnsafeMutablePointer<Float>, rowStride: Int,
    image: UnsafeMutablePointer<Float>
) {
    if rowsAreContiguous(g) {
        col2imContiguous(g, columns: columns, rowStride: rowStride, image: image)
        return
    }
    let outW = g.outputWidth
    let planeSize = g.inputHeight * g.inputWidth
    image.update(repeating: 0, count: g.inputChannels * planeSize)
    var row = columns
    for c in 0..<g.inputChannels {
        let plane = image + c * planeSize
        for r in 0..<g.kernelHeight {
            let rows = validOutputRows(kernelRow: r, geometry: g)
            for s in 0..<g.kernelWidth {
                let valid = validOutputColumns(kernelColumn: s, geometry: g)
                let shift = s - g.padding
                if rows.isEmpty || valid.isEmpty {
                    row += rowStride
                    continue
                }
                for p in rows {
                    let h = p * g.stride + r - g.padding
                    let source = row + p * outW
                    let target = plane + h * g.inputWidth + shift
                    if g.stride == 1 {
                        addInPlace(
                            target + valid.lowerBound, source + valid.lowerBound,
                            count: valid.count)
                    } else {
                        for q in valid { target[q * g.stride] += source[q] }
                    }
                }
                row += rowStride
            }
        }
    }
}

/// `col2im` from the transposed column matrix ([P·Q, C·R·S], row-major); the terms of
/// each image element are added in the same order, so the results are identical.
func col2imTransposed(
    _ g: ConvolutionGeometry, transposedColumns: UnsafePointer<Float>,
    image: UnsafeMutablePointer<Float>
) {
    let (outH, outW) = (g.outputHeight, g.outputWidth)
    let planeSize = g.inputHeight * g.inputWidth
    let depth = g.inputChannels * g.kernelHeight * g.kernelWidth
    image.update(repeating: 0, count: g.inputChannels * planeSize)
    var index = 0
    for c in 0..<g.inputChannels {
        let plane = image + c * planeSize
        for r in 0..<g.kernelHeight {
            for s in 0..<g.kernelWidth {
                let valid = validOutputColumns(kernelColumn: s, geometry: g)
                let shift = s - g.padding
                let column = transposedColumns + index
                for p in 0..<outH {
                    let h = p * g.stride + r - g.padding
                    if h < 0 || h >= g.inputHeight { continue }
                    let source = column + p * outW * depth
                    let target = plane + h * g.inputWidth + shift
                    for q in valid { target[q * g.stride] += source[q * depth] }
                }
                index += 1
            }
        }
    }
}

/// target[i] += source[i] for i in 0..<count, eight lanes at a time.
@inline(__always)
func addInPlace(
    _ target: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, count: Int
) {
    let vectorEnd = count & ~7
    let targetRaw = UnsafeMutableRawPointer(target)
    let sourceRaw = UnsafeRawPointer(source)
    var index = 0
    while index < vectorEnd {
        let sum =
            targetRaw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            + sourceRaw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        targetRaw.storeBytes(of: sum, toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        target[index] += source[index]
        index += 1
    }
}
