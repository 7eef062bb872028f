import BasinKernels
import Synchronization
import Testing

@Suite("parallel loops")
struct ParallelTests {
    @Test("runWorkers runs every worker exactly once", arguments: [0, 1, 2, 5])
    func runWorkers(workerCount: Int) {
        let visits = Mutex([Int](repeating: 0, count: workerCount))
        Parallelism.runWorkers(workerCount) { worker in
            visits.withLock { $0[worker] += 1 }
        }
        #expect(visits.withLock { $0 } == [Int](repeating: 1, count: workerCount))
    }

    @Test("forEach and forEachChunk cover every index exactly once")
    func coverage() {
        let count = 37
        let visits = Mutex([Int](repeating: 0, count: count))
        Parallelism.forEach(count) { index in visits.withLock { $0[index] += 1 } }
        Parallelism.forEachChunk(count, minimumChunk: 5) { range in
            visits.withLock { for index in range { $0[index] += 1 } }
        }
        #expect(visits.withLock { $0 } == [Int](repeating: 2, count: count))
    }
}
