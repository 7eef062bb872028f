import BasinNetwork
import Testing

@Suite("Buffer")
struct BufferTests {
    @Test("grows only when asked for more, zero-filled, and keeps its storage otherwise")
    func growth() {
        let buffer = FloatBuffer(capacity: 4)
        #expect(buffer.array(count: 4) == [0, 0, 0, 0])
        let first = buffer.reserve(3)
        first[0] = 5
        #expect(buffer.reserve(4) == first)
        #expect(buffer.array(count: 1) == [5])
        let grown = buffer.reserve(100)
        #expect(buffer.capacity == 100)
        #expect(buffer.array(count: 100).allSatisfy { $0 == 0 })
        #expect(buffer.reserve(50) == grown)
    }

    @Test("integer buffers work the same way")
    func integers() {
        let buffer = Buffer<Int32>()
        buffer.reserve(3)[2] = 7
        #expect(buffer.array(count: 3) == [0, 0, 7])
    }
}
