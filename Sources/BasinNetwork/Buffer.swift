import Foundation

/// A heap buffer owned by a layer: grown when a larger batch arrives, reused otherwise, so
/// that once a model has seen its batch size a training step allocates nothing. New
/// storage is zero-filled; growing discards the old contents. `Element` must be a plain
/// numeric type whose zero is all zero bits (Float, Int32).
public final class Buffer<Element: AdditiveArithmetic> {
    public private(set) var pointer: UnsafeMutablePointer<Element>
    public private(set) var capacity: Int

    public init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        Buffer.zero(pointer, count: self.capacity)
    }

    deinit {
        pointer.deallocate()
    }

    /// Makes room for at least `count` elements and returns the storage.
    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            Buffer.zero(pointer, count: count)
        }
        return pointer
    }

    /// Fills with zero bytes: a memset, where the generic `initialize(repeating:)` would
    /// copy element by element through the type's value witness.
    private static func zero(_ pointer: UnsafeMutablePointer<Element>, count: Int) {
        _ = memset(UnsafeMutableRawPointer(pointer), 0, count * MemoryLayout<Element>.stride)
    }

    /// The first `count` elements, copied into an array (for tests and inspection).
    public func array(count: Int) -> [Element] {
        precondition(count <= capacity, "buffer holds \(capacity) elements, asked for \(count)")
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}

/// The buffer type of activations, gradients and their tangents.
public typealias FloatBuffer = Buffer<Float>
