// Dimension letters as in Convolution.swift. For a "same" convolution with stride 1
// (`rowsAreContiguous`) the column matrix need not be built a row at a time: element
// (c, r, s; p·Q + q) is x[c, p·Q + q + (r − pad)·W + s − pad] or a padding zero, so the
// sixteen columns of one packed panel are sixteen consecutive image elements with some of
// them set to zero.

/// `im2colPacked` for a geometry with `rowsAreContiguous`, without the row scratch: each
/// 16-column panel of each row (c, r, s) is read from the image as one vector, its padding
/// positions are set to zero, and the packed matrix is written panel by panel, in memory
/// order. A panel that runs past the end of an image (into the next one, or past the last
/// column), or whose read would leave the image's channel plane, is filled one element at
/// a time. The packed floats are the same as `im2colPacked` writes.
/// - Precondition: `rowsAreContiguous(g)`.
func im2colPackedContiguous(
    _ g: ConvolutionGeometry, images: UnsafePointer<Float>, count: Int,
    packed: UnsafeMutablePointer<Float>
) {
    precondition(rowsAreContiguous(g), "\(g) does not read its column rows as runs")
    let tile = gemmTileColumns
    let kernelSize = g.kernelHeight * g.kernelWidth
    withUnsafeTemporaryAllocation(
        of: SIMD16<UInt32>.self, capacity: kernelSize + g.kernelHeight + g.kernelWidth
    ) {
        masks in
        let depth = g.patchCount
        let columns = count * g.outputSize
        let paddedColumns = roundUp(columns, to: tile)
        let depthBlock = gemmDepthBlock(k: depth)
        for blockStart in stride(from: 0, to: depth, by: depthBlock) {
            let depths = blockStart..<min(depth, blockStart + depthBlock)
            let block = packed + paddedColumns * blockStart
            for panelStart in stride(from: 0, to: columns, by: tile) {
                let panel = block + panelStart * depths.count
                let position = panelStart % g.outputSize
                let image = images + (panelStart / g.outputSize) * g.inputCountPerImage
                if position + tile <= g.outputSize {
                    im2colPanelContiguous(
                        g, image: image, position: position, depths: depths,
                        masks: masks.baseAddress!, into: panel)
                } else {
                    im2colPanelByElement(
                        g, images: images, count: count, firstColumn: panelStart,
                        depths: depths, into: panel)
                }
            }
        }
    }
}

extension ConvolutionGeometry {
    /// Floats of one input image: C·H·W.
    var inputCountPerImage: Int { inputChannels * inputHeight * inputWidth }
}

/// Rows `depths` of one packed panel whose sixteen columns are the output positions
/// `position ..< position + 16` of one image: a vector read and a mask per row. `masks`
/// is scratch for R·S + R + S vectors.
@inline(__always)
private func im2colPanelContiguous(
    _ g: ConvolutionGeometry, image: UnsafePointer<Float>, position: Int, depths: Range<Int>,
    masks: UnsafeMutablePointer<SIMD16<UInt32>>, into panel: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileColumns
    let width = g.inputWidth
    let planeSize = g.inputHeight * width
    let kernelSize = g.kernelHeight * g.kernelWidth

    // All ones in the lanes whose read falls inside the image, zero in the padding lanes:
    // per kernel row r, per kernel column s, and for each (r, s) both together.
    let rowMasks = masks + kernelSize
    let columnMasks = rowMasks + g.kernelHeight
    var (p, q) = position.quotientAndRemainder(dividingBy: width)
    for lane in 0..<tile {
        for r in 0..<g.kernelHeight {
            let h = p &+ r &- g.padding
            rowMasks[r][lane] = h >= 0 && h < g.inputHeight ? UInt32.max : 0
        }
        for s in 0..<g.kernelWidth {
            let w = q &+ s &- g.padding
            columnMasks[s][lane] = w >= 0 && w < width ? UInt32.max : 0
        }
        q &+= 1
        if q == width { (p, q) = (p &+ 1, 0) }
    }
    for r in 0..<g.kernelHeight {
        for s in 0..<g.kernelWidth {
            masks[r &* g.kernelWidth &+ s] = rowMasks[r] & columnMasks[s]
        }
    }

    // One vector per row (c, r, s), read from x[c] at position + (r − pad)·W + s − pad;
    // (c, r, s) is stepped rather than divided out of the row index.
    var target = UnsafeMutableRawPointer(panel)
    let (channel, firstKernelIndex) = depths.lowerBound.quotientAndRemainder(
        dividingBy: kernelSize)
    var kernelIndex = firstKernelIndex
    var (r, s) = kernelIndex.quotientAndRemainder(dividingBy: g.kernelWidth)
    var plane = image + channel * planeSize
    for _ in depths {
        let start = position &+ (r &- g.padding) &* width &+ s &- g.padding
        let mask = masks[kernelIndex]
        if start >= 0 && start &+ tile <= planeSize {
            // A padding lane becomes the bits of +0.
            let values = UnsafeRawPointer(plane + start).loadUnaligned(as: SIMD16<UInt32>.self)
            target.storeBytes(of: values & mask, as: SIMD16<UInt32>.self)
        } else {
            let row = target.assumingMemoryBound(to: Float.self)
            for lane in 0..<tile { row[lane] = mask[lane] == 0 ? 0 : plane[start &+ lane] }
        }
        target += tile * MemoryLayout<Float>.stride

        // The next (c, r, s).
        kernelIndex &+= 1
        s &+= 1
        if s == g.kernelWidth { (r, s) = (r &+ 1, 0) }
        if kernelIndex == kernelSize {
            (kernelIndex, r) = (0, 0)
            plane += planeSize
        }
    }
}

/// Rows `depths` of one packed panel whose columns `firstColumn ..< firstColumn + 16` may
/// span several images or run past the last column (zeros there), one element at a time;
/// each column's image, p and q are worked out once for all rows.
private func im2colPanelByElement(
    _ g: ConvolutionGeometry, images: UnsafePointer<Float>, count: Int, firstColumn: Int,
    depths: Range<Int>, into panel: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileColumns
    let kernelSize = g.kernelHeight * g.kernelWidth
    let planeSize = g.inputHeight * g.inputWidth
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * tile) { table in
        // Per column: the offset of its image (−1 past the last image), p and q.
        let (imageOffsets, rows, columns) = (
            table.baseAddress!, table.baseAddress! + tile, table.baseAddress! + 2 * tile
        )
        for lane in 0..<tile {
            let (image, position) = (firstColumn + lane).quotientAndRemainder(
                dividingBy: g.outputSize)
            imageOffsets[lane] = image < count ? image * g.inputCountPerImage : -1
            (rows[lane], columns[lane]) = position.quotientAndRemainder(
                dividingBy: g.outputWidth)
        }

        // Row (c, r, s): x[c, p + r − pad, q + s − pad] where that lies in the image.
        var target = panel
        for index in depths {
            let kernelIndex = index % kernelSize
            let h0 = kernelIndex / g.kernelWidth - g.padding
            let w0 = kernelIndex % g.kernelWidth - g.padding
            let channelOffset = (index / kernelSize) * planeSize
            for lane in 0..<tile {
                let (h, w) = (rows[lane] &+ h0, columns[lane] &+ w0)
                let inside =
                    imageOffsets[lane] >= 0 && h >= 0 && h < g.inputHeight && w >= 0
                    && w < g.inputWidth
                target[lane] =
                    inside
                    ? images[imageOffsets[lane] &+ channelOffset &+ h &* g.inputWidth &+ w] : 0
            }
            target += tile
        }
    }
}
