import BasinKernels

/// How far apart two points of parameter space are, overall and per named tensor.
public struct WeightDistance: Equatable, Sendable, Codable {
    /// One tensor's share: ‖θ_B − θ_A‖ / ‖θ_A‖ for that tensor (NaN when θ_A is zero there).
    public struct Layer: Equatable, Sendable, Codable {
        public var name: String
        public var distance: Double
        public var relativeDistance: Double
        public var cosineSimilarity: Double
    }

    /// ‖θ_B − θ_A‖₂ over all trainable parameters.
    public var distance: Double
    /// ‖θ_A‖₂ and ‖θ_B‖₂.
    public var normA: Double
    public var normB: Double
    /// θ_A·θ_B / (‖θ_A‖·‖θ_B‖); NaN when either is the zero vector.
    public var cosineSimilarity: Double
    /// ‖θ_B − θ_A‖ / ‖θ_A‖.
    public var relativeDistance: Double
    public var layers: [Layer]

    /// Compares `a` and `b`, tensor by tensor over `slices` (name and range into the flat
    /// vectors) and as a whole.
    /// - Precondition: `a.count == b.count` and every range lies inside them.
    public init(_ a: [Float], _ b: [Float], slices: [(name: String, range: Range<Int>)]) {
        precondition(a.count == b.count, "weight vectors differ in size: \(a.count) vs \(b.count)")
        let whole = Self.compare(a[...], b[...])
        distance = whole.distance
        normA = whole.normA
        normB = whole.normB
        cosineSimilarity = whole.cosine
        relativeDistance = whole.distance / whole.normA
        layers = slices.map { slice in
            let part = Self.compare(a[slice.range], b[slice.range])
            return Layer(
                name: slice.name, distance: part.distance,
                relativeDistance: part.distance / part.normA, cosineSimilarity: part.cosine)
        }
    }

    /// Distance, norms and cosine of two equally long slices, accumulated in Double.
    private static func compare(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> (
        distance: Double, normA: Double, normB: Double, cosine: Double
    ) {
        var (squaredDistance, squaredA, squaredB, product) = (0.0, 0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) {
            let (dx, dy) = (Double(x), Double(y))
            squaredDistance += (dy - dx) * (dy - dx)
            squaredA += dx * dx
            squaredB += dy * dy
            product += dx * dy
        }
        let (normA, normB) = (squaredA.squareRoot(), squaredB.squareRoot())
        let cosine = normA > 0 && normB > 0 ? product / (normA * normB) : .nan
        return (squaredDistance.squareRoot(), normA, normB, cosine)
    }
}
