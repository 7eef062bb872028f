import Foundation

/// A growable, 64-byte-aligned float buffer that kernels borrow for packing and
/// im2col scratch. Buffers return to a shared pool after use, so after the first calls
/// of a training step no kernel allocates.
final class KernelScratch: @unchecked Sendable {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init() {
        capacity = 0
        pointer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
            .bindMemory(to: Float.self, capacity: 16)
    }

    deinit { pointer.deallocate() }

    /// Makes room for at least `count` floats; the old contents are not kept.
    func reserve(_ count: Int) {
        if count <= capacity { return }
        pointer.deallocate()
        // Grow geometrically so that a slowly rising demand reallocates rarely.
        let newCapacity = max(count, capacity + capacity / 2)
        pointer = UnsafeMutableRawPointer.allocate(
            byteCount: newCapacity * MemoryLayout<Float>.stride, alignment: 64
        ).bindMemory(to: Float.self, capacity: newCapacity)
        capacity = newCapacity
    }
}

/// The pool of idle scratch buffers shared by all threads.
enum KernelScratchPool {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var idle: [KernelScratch] = []

    /// Lends `body` a buffer of at least `count` floats (uninitialized) for the duration
    /// of the call. Safe to call from several threads at once; each caller gets its own.
    static func withScratch<Result>(
        count: Int, _ body: (UnsafeMutablePointer<Float>) -> Result
    ) -> Result {
        lock.lock()
        let scratch = idle.popLast() ?? KernelScratch()
        lock.unlock()
        scratch.reserve(count)
        defer {
            lock.lock()
            idle.append(scratch)
            lock.unlock()
        }
        return body(scratch.pointer)
    }
}
