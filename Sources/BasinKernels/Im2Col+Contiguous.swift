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
    let depth = g.patchCount
    let columns = count * g.outputSize
    let paddedColumns = roundUp(columns, to: gemmTileColumns)
    let depthBlock = gemmDepthBlock(k: depth)
    for blockStart in stride(from: 0, to: depth, by: depthBlock) {
        im2colPanelsOfBlock(
            g, images: images, count: count, columns: 0..<columns,
            depths: blockStart..<min(depth, blockStart + depthBlock),
            into: packed + paddedColumns * blockStart)
    }
}

/// The packed panels of columns `columns` (starting at a panel boundary) and rows
/// `depths` of the column matrix of `count` images side by side, for a geometry with
/// `rowsAreContiguous`: the panel of columns `j ..< j + 16` is written at
/// `panels + (j − columns.lowerBound) · depths.count`, as in one depth block of a
/// whole-matrix packed B.
func im2colPanelsOfBlock(
    _ g: ConvolutionGeometry, images: UnsafePointer<Float>, count: Int, columns: Range<Int>,
    depths: Range<Int>, into panels: UnsafeMutablePointer<Float>
) {
    precondition(rowsAreContiguous(g), "\(g) does not read its column rows as runs")
    let tile = gemmTileColumns
    precondition(columns.lowerBound % tile == 0, "columns start inside a panel: \(columns)")
    let kernelSize = g.kernelHeight * g.kernelWidth
    let maskCount = kernelSize + g.kernelHeight + g.kernelWidth
    withUnsafeTemporaryAllocation(
        of: SIMD16<UInt32>.self, capacity: convolutionPanelsPerRead * maskCount
    ) {
        masks in
        var panelStart = columns.lowerBound
        while panelStart < columns.upperBound {
            let panel = panels + (panelStart - columns.lowerBound) * depths.count
            let position = panelStart % g.outputSize
            let image = images + (panelStart / g.outputSize) * g.inputCountPerImage
            let panelCount = min(
                convolutionPanelsPerRead, (g.outputSize - position) / tile,
                (columns.upperBound - panelStart) / tile)
            if panelCount > 0 {
                for index in 0..<panelCount {
                    im2colPanelMasks(
                        g, position: position + index * tile,
                        into: masks.baseAddress! + index * maskCount)
                }
                im2colPanelsContiguous(
                    g, image: image, position: position, panelCount: panelCount,
                    depths: depths, masks: masks.baseAddress!, maskCount: maskCount,
                    into: panel)
                panelStart += panelCount * tile
            } else {
                im2colPanelByElement(
                    g, images: images, count: count, firstColumn: panelStart,
                    depths: depths, masks: masks.baseAddress!, into: panel)
                panelStart += tile
            }
        }
    }
}

/// Packed panels side by side that `im2colPackedContiguous` fills row by row, so that
/// each row (c, r, s) is read from the image as one run of 64 floats.
let convolutionPanelsPerRead = 4

extension ConvolutionGeometry {
    /// Floats of one input image: C·H·W.
    var inputCountPerImage: Int { inputChannels * inputHeight * inputWidth }
}

/// Writes `masks[0 ..< R·S]` for the sixteen output positions `position ..< position + 16`
/// of one image: for each kernel offset (r, s), all ones in the lanes whose read falls
/// inside the image and zero in the padding lanes. `masks` holds R·S + R + S vectors; the
/// last R + S are scratch for the row and column parts.
@inline(__always)
private func im2colPanelMasks(
    _ g: ConvolutionGeometry, position: Int, into masks: UnsafeMutablePointer<SIMD16<UInt32>>
) {
    let width = g.inputWidth
    let rowMasks = masks + g.kernelHeight * g.kernelWidth
    let columnMasks = rowMasks + g.kernelHeight
    var (p, q) = position.quotientAndRemainder(dividingBy: width)
    for lane in 0..<gemmTileColumns {
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
}

/// Rows `depths` of `panelCount` consecutive packed panels (`panel` the first, each
/// 16 · `depths.count` floats) whose columns are the output positions
/// `position ..< position + 16 · panelCount` of one image: a vector read and a mask per
/// row and panel. Panel i's masks (`im2colPanelMasks`) start at `masks + i · maskCount`.
@inline(__always)
private func im2colPanelsContiguous(
    _ g: ConvolutionGeometry, image: UnsafePointer<Float>, position: Int, panelCount: Int,
    depths: Range<Int>, masks: UnsafePointer<SIMD16<UInt32>>, maskCount: Int,
    into panel: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileColumns
    let width = g.inputWidth
    let planeSize = g.inputHeight * width
    let kernelSize = g.kernelHeight * g.kernelWidth
    let panelStride = tile * depths.count * MemoryLayout<Float>.stride

    // One vector per row (c, r, s) and panel, read from x[c] at
    // position + 16·panel + (r − pad)·W + s − pad; (c, r, s) is stepped rather than
    // divided out of the row index.
    var target = UnsafeMutableRawPointer(panel)
    let (channel, firstKernelIndex) = depths.lowerBound.quotientAndRemainder(
        dividingBy: kernelSize)
    var kernelIndex = firstKernelIndex
    var (r, s) = kernelIndex.quotientAndRemainder(dividingBy: g.kernelWidth)
    var plane = image + channel * planeSize
    for _ in depths {
        let rowStart = position &+ (r &- g.padding) &* width &+ s &- g.padding
        for index in 0..<panelCount {
            let start = rowStart &+ index &* tile
            let mask = masks[index &* maskCount &+ kernelIndex]
            let panelTarget = target + index &* panelStride
            if start >= 0 && start &+ tile <= planeSize {
                // A padding lane becomes the bits of +0.
                let values = UnsafeRawPointer(plane + start).loadUnaligned(
                    as: SIMD16<UInt32>.self)
                panelTarget.storeBytes(of: values & mask, as: SIMD16<UInt32>.self)
            } else {
                let row = panelTarget.assumingMemoryBound(to: Float.self)
                for lane in 0..<tile { row[lane] = mask[lane] == 0 ? 0 : plane[start &+ lane] }
            }
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
/// span several images or run past the last column (zeros there), one element at a time:
/// each column's image and position, and its mask for each kernel offset, are worked out
/// once for all rows. `masks` is scratch for R·S + R + S vectors.
private func im2colPanelByElement(
    _ g: ConvolutionGeometry, images: UnsafePointer<Float>, count: Int, firstColumn: Int,
    depths: Range<Int>, masks: UnsafeMutablePointer<SIMD16<UInt32>>,
    into panel: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileColumns
    let kernelSize = g.kernelHeight * g.kernelWidth
    let planeSize = g.inputHeight * g.inputWidth
    let rowMasks = masks + kernelSize
    let columnMasks = rowMasks + g.kernelHeight
    withUnsafeTemporaryAllocation(of: Int.self, capacity: tile) { table in
        // Per column: the offset of x[image, 0, p, q] (0 past the last image, where every
        // mask is zero) and the masks, as in `im2colPanelMasks`.
        let offsets = table.baseAddress!
        for lane in 0..<tile {
            let (image, position) = (firstColumn + lane).quotientAndRemainder(
                dividingBy: g.outputSize)
            let (p, q) = position.quotientAndRemainder(dividingBy: g.outputWidth)
            offsets[lane] = image < count ? image * g.inputCountPerImage + position : 0
            for r in 0..<g.kernelHeight {
                let h = p &+ r &- g.padding
                let inside = image < count && h >= 0 && h < g.inputHeight
                rowMasks[r][lane] = inside ? UInt32.max : 0
            }
            for s in 0..<g.kernelWidth {
                let w = q &+ s &- g.padding
                columnMasks[s][lane] = w >= 0 && w < g.inputWidth ? UInt32.max : 0
            }
        }
        for r in 0..<g.kernelHeight {
            for s in 0..<g.kernelWidth {
                masks[r &* g.kernelWidth &+ s] = rowMasks[r] & columnMasks[s]
            }
        }

        // Row (c, r, s): x[image, c, p·W + q + (r − pad)·W + s − pad] in the unmasked
        // lanes; (c, r, s) is stepped rather than divided out of the row index.
        var target = panel
        let (channel, firstKernelIndex) = depths.lowerBound.quotientAndRemainder(
            dividingBy: kernelSize)
        var kernelIndex = firstKernelIndex
        var (r, s) = kernelIndex.quotientAndRemainder(dividingBy: g.kernelWidth)
        var channelOffset = channel * planeSize
        for _ in depths {
            let shift = channelOffset &+ (r &- g.padding) &* g.inputWidth &+ s &- g.padding
            let mask = masks[kernelIndex]
            for lane in 0..<tile {
                target[lane] = mask[lane] == 0 ? 0 : images[offsets[lane] &+ shift]
            }
            kernelIndex &+= 1
            s &+= 1
            if s == g.kernelWidth { (r, s) = (r &+ 1, 0) }
            if kernelIndex == kernelSize {
                (kernelIndex, r) = (0, 0)
                channelOffset &+= planeSize
            }
            target += tile
        }
    }
}

/// `col2im` for a geometry with `rowsAreContiguous`. Row (c, r, s) of the column matrix
/// adds into x[c] as one run shifted by (r − pad)·W + s − pad, after its entries in the
/// padding columns, which the run covers, are set to zero (they add +0). Instead of one
/// pass over the plane per row, each block of eight image elements that every run covers
/// is summed in registers from +0 over the rows of its channel in ascending (r, s) order
/// and stored once; the few elements near the ends of the plane, which some runs miss,
/// are set to +0 and get each run's share added in the same order. The sums are those of
/// `col2im`, term for term.
/// - Precondition: `rowsAreContiguous(g)`.
func col2imContiguous(
    _ g: ConvolutionGeometry, columns: UnsafeMutablePointer<Float>, rowStride: Int,
    image: UnsafeMutablePointer<Float>
) {
    precondition(rowsAreContiguous(g), "\(g) does not add its column rows as runs")
    let width = g.inputWidth
    let planeSize = g.inputHeight * width
    let kernelSize = g.kernelHeight * g.kernelWidth
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * kernelSize) { table in
        // Per row of the channel that adds anything: where image element t reads it
        // (columns[offset + t]), and the elements its run covers, [low, high).
        let offsets = table.baseAddress!
        let lows = offsets + kernelSize
        let highs = lows + kernelSize
        for c in 0..<g.inputChannels {
            var count = 0
            var (coveredLow, coveredHigh) = (0, planeSize)
            for r in 0..<g.kernelHeight {
                let rows = validOutputRows(kernelRow: r, geometry: g)
                for s in 0..<g.kernelWidth {
                    let valid = validOutputColumns(kernelColumn: s, geometry: g)
                    if rows.isEmpty || valid.isEmpty { continue }
                    let rowStart = ((c * g.kernelHeight + r) * g.kernelWidth + s) * rowStride
                    let row = columns + rowStart
                    for p in rows.dropLast() {
                        for q in valid.upperBound..<width { row[p * width + q] = 0 }
                        for q in 0..<valid.lowerBound { row[(p + 1) * width + q] = 0 }
                    }
                    let first = rows.lowerBound * width + valid.lowerBound
                    let last = (rows.upperBound - 1) * width + valid.upperBound
                    let shift = (r - g.padding) * width + s - g.padding
                    offsets[count] = rowStart - shift
                    lows[count] = first + shift
                    highs[count] = last + shift
                    coveredLow = max(coveredLow, lows[count])
                    coveredHigh = min(coveredHigh, highs[count])
                    count += 1
                }
            }

            // Blocks of eight in [vectorLow, vectorHigh) ⊂ every run, summed in registers.
            let plane = image + c * planeSize
            let vectorLow = min(coveredLow, planeSize)
            let vectorHigh = vectorLow + max(0, coveredHigh - vectorLow) / 8 * 8
            var t = vectorLow
            while t < vectorHigh {
                var sum = SIMD8<Float>()
                for index in 0..<count {
                    sum += UnsafeRawPointer(columns + (offsets[index] &+ t)).loadUnaligned(
                        as: SIMD8<Float>.self)
                }
                UnsafeMutableRawPointer(plane + t).storeBytes(of: sum, as: SIMD8<Float>.self)
                t += 8
            }

            // The rest, run by run.
            fillZeros(plane, count: vectorLow)
            fillZeros(plane + vectorHigh, count: planeSize - vectorHigh)
            for index in 0..<count {
                let covered = lows[index]..<max(lows[index], highs[index])
                let head = covered.clamped(to: 0..<vectorLow)
                let tail = covered.clamped(to: vectorHigh..<planeSize)
                addInPlace(
                    plane + head.lowerBound, columns + (offsets[index] + head.lowerBound),
                    count: head.count)
                addInPlace(
                    plane + tail.lowerBound, columns + (offsets[index] + tail.lowerBound),
                    count: tail.count)
            }
        }
    }
}
