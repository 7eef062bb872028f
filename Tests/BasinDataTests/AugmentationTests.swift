import BasinData
import BasinKernels
import Testing

@Suite("augmentation")
struct AugmentationTests {
    let shape = ImageShape(channels: 2, height: 6, width: 5)
    /// One image whose byte at (c, y, x) is 100c + 10y + x + 1, so every pixel is distinct
    /// and nonzero.
    var split: DataSplit {
        var pixels = [UInt8]()
        for c in 0..<2 {
            for y in 0..<6 { for x in 0..<5 { pixels.append(UInt8(100 * c + 10 * y + x + 1)) } }
        }
        return DataSplit(shape: shape, images: pixels, labels: [0])
    }
    /// Bytes scaled to [0, 1] only, so outputs read back as pixel values.
    let unit = ChannelNormalization.unit(channels: 2)

    func pixel(_ image: [Float], _ c: Int, _ y: Int, _ x: Int) -> Int {
        Int((image[(c * 6 + y) * 5 + x] * 255).rounded())
    }

    @Test("names parse, and an unknown one throws unknownAugmentation")
    func parse() throws {
        #expect(try Augmentation(parsing: "none") == .none)
        #expect(try Augmentation(parsing: "crop") == .crop)
        #expect(try Augmentation(parsing: "crop+flip") == .cropFlip)
        #expect(
            throwsError(.unknownAugmentation(text: "flip")) {
                _ = try Augmentation(parsing: "flip")
            })
    }

    @Test("padding is 2 pixels for 28×28 and 4 for 32×32")
    func padding() {
        #expect(Augmentation.padding(for: ImageShape(channels: 1, height: 28, width: 28)) == 2)
        #expect(Augmentation.padding(for: ImageShape(channels: 3, height: 32, width: 32)) == 4)
    }

    @Test("the identity draw keeps the image and its shape")
    func identity() {
        let image = Augmentation.augmentedImage(split, at: 0, draw: .identity, normalization: unit)
        #expect(image.count == shape.elementCount)
        #expect(pixel(image, 1, 4, 3) == 144)
        #expect(pixel(image, 0, 0, 0) == 1)
    }

    @Test("a crop shifts the content by its offset and fills the border with zero")
    func cropShift() {
        let draw = AugmentationDraw(rowOffset: 2, columnOffset: -1, flipped: false)
        let image = Augmentation.augmentedImage(split, at: 0, draw: draw, normalization: unit)
        #expect(image.count == shape.elementCount)
        for c in 0..<2 {
            for y in 0..<6 {
                for x in 0..<5 {
                    let (sourceY, sourceX) = (y - 2, x + 1)
                    let inside = sourceY >= 0 && sourceY < 6 && sourceX < 5
                    let expected = inside ? 100 * c + 10 * sourceY + sourceX + 1 : 0
                    #expect(pixel(image, c, y, x) == expected, "at \(c), \(y), \(x)")
                }
            }
        }
    }

    @Test("a flip mirrors each row")
    func flip() {
        let draw = AugmentationDraw(rowOffset: 0, columnOffset: 0, flipped: true)
        let image = Augmentation.augmentedImage(split, at: 0, draw: draw, normalization: unit)
        for c in 0..<2 {
            for y in 0..<6 {
                for x in 0..<5 {
                    #expect(pixel(image, c, y, x) == 100 * c + 10 * y + (4 - x) + 1)
                }
            }
        }
    }

    @Test("every offset, flipped or not, matches the definition pixel by pixel")
    func everyDraw() {
        for flipped in [false, true] {
            for rowOffset in -7...7 {
                for columnOffset in -6...6 {
                    let draw = AugmentationDraw(
                        rowOffset: rowOffset, columnOffset: columnOffset, flipped: flipped)
                    let image = Augmentation.augmentedImage(
                        split, at: 0, draw: draw, normalization: unit)
                    var mismatches = 0
                    for c in 0..<2 {
                        for y in 0..<6 {
                            for x in 0..<5 {
                                // Output (y, x) reads (y − dy, x′ − dx), x′ = 4 − x if flipped.
                                let sourceY = y - rowOffset
                                let sourceX = (flipped ? 4 - x : x) - columnOffset
                                let inside = (0..<6).contains(sourceY) && (0..<5).contains(sourceX)
                                let expected = inside ? 100 * c + 10 * sourceY + sourceX + 1 : 0
                                mismatches += pixel(image, c, y, x) == expected ? 0 : 1
                            }
                        }
                    }
                    #expect(mismatches == 0, "draw \(draw)")
                }
            }
        }
    }

    @Test("padding pixels become the normalised black value")
    func paddedValue() {
        let normalization = ChannelNormalization(mean: [0.2, 0.4], standardDeviation: [0.5, 0.25])
        let draw = AugmentationDraw(rowOffset: 0, columnOffset: 3, flipped: false)
        let image = Augmentation.augmentedImage(
            split, at: 0, draw: draw, normalization: normalization)
        #expect(abs(image[0] - (-0.2 / 0.5)) < 1e-6)
        #expect(abs(image[30] - (-0.4 / 0.25)) < 1e-6)
    }

    @Test("draws are seeded: same seed, same draws; offsets stay within the padding")
    func seeded() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let fashion = ImageShape(channels: 1, height: 28, width: 28)
        var flips = 0
        var offsets = Set<Int>()
        for _ in 0..<2000 {
            let a = Augmentation.cropFlip.draw(for: fashion, generator: &first)
            let b = Augmentation.cropFlip.draw(for: fashion, generator: &second)
            #expect(a == b)
            #expect((-2...2).contains(a.rowOffset) && (-2...2).contains(a.columnOffset))
            offsets.insert(a.rowOffset)
            flips += a.flipped ? 1 : 0
        }
        #expect(offsets == Set(-2...2))
        // Binomial(2000, 1/2): mean 1000, standard deviation 22.4; 1000 ± 150 is ±6.7σ.
        #expect(abs(flips - 1000) < 150)
        #expect(Augmentation.crop.draw(for: fashion, generator: &first).flipped == false)
    }

    @Test("no augmentation consumes no random numbers")
    func noneDrawsNothing() {
        var generator = SeededGenerator(seed: 3)
        let before = generator
        #expect(Augmentation.none.draw(for: shape, generator: &generator) == .identity)
        #expect(generator == before)
    }
}
