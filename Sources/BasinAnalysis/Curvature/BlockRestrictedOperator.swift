/// The diagonal block H_bb of a symmetric operator H for the coordinates in one range b
/// (one layer's weight, say): the curvature of the loss when only those parameters move.
///
/// A vector u of the block's length is embedded as x with xᵢ = u_{i − b.lowerBound} for
/// i ∈ b and 0 elsewhere; the product is (Hx) restricted to b. H_bb is symmetric when H
/// is. Its eigenvalues interlace H's (Cauchy): λ_max(H_bb) ≤ λ_max(H), and
/// tr(H_bb) is the block's share of tr(H). Each product costs one product of H.
public struct BlockRestrictedOperator<Base: SymmetricOperator>: SymmetricOperator {
    public var base: Base
    public let block: ParameterBlock
    private var embedded: [Float]
    private var product: [Float]

    /// - Precondition: the block is non-empty and lies within 0..<n of `base`.
    public init(_ base: Base, block: ParameterBlock) {
        precondition(
            block.lowerBound >= 0 && block.lowerBound < block.upperBound
                && block.upperBound <= base.dimension,
            "BlockRestrictedOperator: block \(block.name) \(block.range) is empty or outside "
                + "0..<\(base.dimension)")
        self.base = base
        self.block = block
        embedded = [Float](repeating: 0, count: base.dimension)
        product = embedded
    }

    public var dimension: Int { block.upperBound - block.lowerBound }

    public mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        let offset = block.lowerBound
        for index in 0..<dimension { embedded[offset + index] = vector[index] }
        try base.apply(embedded, into: &product)
        for index in 0..<dimension { result[index] = product[offset + index] }
    }
}
