import Dispatch
import Foundation

/// How many threads the kernels may use. Set once by the command line (`--threads`);
/// results are bit-identical for a given value, because work is split into fixed,
/// disjoint pieces whose order of summation does not depend on scheduling.
public enum Parallelism {
    /// The thread count kernels use: the configured one, or 1 on the workers of
    /// `runIndependently`.
    public static var threadCount: Int {
        get { pthread_getspecific(independentWorkerKey) == nil ? configuredThreadCount : 1 }
        set { configuredThreadCount = newValue }
    }
    nonisolated(unsafe) private static var configuredThreadCount = defaultThreadCount

    /// All cores the process may use.
    public static var defaultThreadCount: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Runs `body(index)` for every index in `0..<count`, spread over at most
    /// `threadCount` threads. Each index runs exactly once; the caller must make the
    /// bodies write disjoint memory.
    @inlinable
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        let threads = min(threadCount, count)
        if threads <= 1 {
            for index in 0..<count { body(index) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for index in stride(from: worker, to: count, by: threads) { escapable(index) }
            }
        }
    }

    /// Runs `body(worker)` once for every worker in `0..<workerCount`, each on its own
    /// thread when `workerCount > 1`. Kernels that already run inside a worker call this
    /// with 1 so that they never nest thread pools.
    @inlinable
    public static func runWorkers(_ workerCount: Int, _ body: (Int) -> Void) {
        if workerCount <= 0 { return }
        if workerCount == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            DispatchQueue.concurrentPerform(iterations: workerCount) { escapable($0) }
        }
    }

    /// Runs `body(worker)` for every worker in `0..<workerCount` as `runWorkers` does, with
    /// every kernel called inside on one thread (`threadCount` reads 1 there): for work
    /// split into independent parts, such as the images of an evaluation, where one part
    /// per core beats each kernel's fork and join. Results are those of the same kernels
    /// on one thread, which do not depend on the thread count.
    public static func runIndependently(_ workerCount: Int, _ body: (Int) -> Void) {
        runWorkers(workerCount) { worker in
            let previous = pthread_getspecific(independentWorkerKey)
            pthread_setspecific(independentWorkerKey, UnsafeRawPointer(bitPattern: 1))
            defer { pthread_setspecific(independentWorkerKey, previous) }
            body(worker)
        }
    }

    /// Splits `0..<count` into `min(threadCount, count)` contiguous chunks and runs
    /// `body(range)` on each; chunk boundaries depend only on `count` and `threadCount`.
    @inlinable
    public static func forEachChunk(
        _ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        if count <= 0 { return }
        let chunks = max(1, min(threadCount, count / max(1, minimumChunk)))
        if chunks == 1 {
            body(0..<count)
            return
        }
        forEach(chunks) { chunk in
            let lower = count * chunk / chunks
            let upper = count * (chunk + 1) / chunks
            body(lower..<upper)
        }
    }
}

/// Marks the threads of `Parallelism.runIndependently` while they run its body.
private let independentWorkerKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key, nil)
    precondition(status == 0, "pthread_key_create failed with \(status)")
    return key
}()
