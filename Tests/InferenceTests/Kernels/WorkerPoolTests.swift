import Synchronization
import Testing

@testable import Inference

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct WorkerPoolTests {
    @Test(arguments: [1, 2, 3])
    func everyWorkerRunsOncePerJob(threads: Int) throws {
        let pool = try WorkerPool(threads: threads)
        #expect(pool.threadCount == threads)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: threads)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: threads)
        for _ in 0..<3000 {
            pool.run { worker, workers in
                precondition(workers == threads)
                counts[worker] += 1
            }
        }
        for w in 0..<threads { #expect(counts[w] == 3000) }
    }

    @Test(arguments: [1, 2, 3])
    func resultsAreVisibleAfterRun(threads: Int) throws {
        let pool = try WorkerPool(threads: threads)
        let n = 1000
        let data = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer { data.deallocate() }
        data.initialize(repeating: 0, count: n)
        for round in 1...200 {
            pool.run { worker, workers in
                for i in stride(from: worker, to: n, by: workers) { data[i] += i + round }
            }
            // Readers on the caller must see every worker's writes.
            var sum = 0
            for i in 0..<n { sum += data[i] }
            let expected = (1...round).reduce(0) { $0 + n * (n - 1) / 2 + n * $1 }
            #expect(sum == expected)
            if sum != expected { return }
        }
    }

    @Test func parkedHelpersWakeUp() throws {
        // With no spinning, helpers park after every job and each job must wake them.
        let pool = try WorkerPool(threads: 3, spinLimit: 0)
        let hits = Atomic<Int>(0)
        for _ in 0..<500 {
            pool.run { _, _ in hits.add(1, ordering: .relaxed) }
        }
        #expect(hits.load(ordering: .relaxed) == 1500)
    }

    @Test(arguments: [1, 2, 3])
    func parallelForRunsEveryItemOnceOnDistinctThreads(threads: Int) throws {
        let pool = try WorkerPool(threads: threads)
        for count in [1, 2, 5, 64, 1000] {
            let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
            defer { hits.deallocate() }
            hits.initialize(repeating: 0, count: count)
            // One flag per thread index: set while an item runs on that index. Two items on
            // the same index at once would mean per-thread scratch could be corrupted.
            let busy = (0..<threads).map { _ in Counter() }
            let overlaps = Atomic<Int>(0)
            let outOfRange = Atomic<Int>(0)
            for _ in 0..<20 {
                pool.parallelFor(count: count) { item, thread in
                    guard thread >= 0 && thread < threads else {
                        outOfRange.add(1, ordering: .relaxed)
                        return
                    }
                    if busy[thread].value.add(1, ordering: .sequentiallyConsistent).newValue != 1 {
                        overlaps.add(1, ordering: .relaxed)
                    }
                    hits[item] += 1
                    busy[thread].value.subtract(1, ordering: .sequentiallyConsistent)
                }
            }
            #expect((0..<count).allSatisfy { hits[$0] == 20 }, "count \(count)")
            #expect(overlaps.load(ordering: .relaxed) == 0)
            #expect(outOfRange.load(ordering: .relaxed) == 0)
        }
    }
}

/// Thread creation that fails is an error the caller can report, never a trap, and the threads
/// already started are stopped rather than leaked.
@Suite struct WorkerPoolStartFailureTests {
    @Test func aRefusedThreadIsAThrownErrorAndTheStartedOnesExit() throws {
        let started = Counter()
        let exited = Counter()
        // The spawner starts the first two helpers for real, then refuses as an exhausted system does.
        let spawner: WorkerPool.ThreadSpawner = { thread, context in
            guard started.value.add(1, ordering: .sequentiallyConsistent).newValue <= 2 else { return EAGAIN }
            return WorkerPool.systemSpawner(&thread, context)
        }
        do {
            _ = try WorkerPool(
                threads: 6, spinLimit: 0, spawner: spawner,
                onHelperExit: {
                    exited.value.add(1, ordering: .sequentiallyConsistent)
                })
            Issue.record("expected the pool to fail")
        } catch {
            #expect(error == .threadStartFailed(requested: 6, started: 3, code: EAGAIN))
            #expect(error.description.contains("thread 4"))
            #expect(error.description.contains("use fewer threads"))
        }
        // Both real helpers were joined before the error was thrown.
        #expect(exited.value.load(ordering: .sequentiallyConsistent) == 2)
    }

    @Test(arguments: [0, -1, 257, 100_000])
    func countsOutsideTheRangeAreRefusedBeforeAnyThreadStarts(threads: Int) {
        let spawned = Counter()
        let spawner: WorkerPool.ThreadSpawner = { _, _ in
            spawned.value.add(1, ordering: .relaxed)
            return EAGAIN
        }
        #expect(throws: InferenceError.self) { try WorkerPool(threads: threads, spinLimit: 0, spawner: spawner) }
        #expect(spawned.value.load(ordering: .relaxed) == 0)
    }

    @Test func theLargestAllowedPoolStartsAndRuns() throws {
        let pool = try WorkerPool(threads: WorkerPool.maxThreads, spinLimit: 0)
        let hits = Atomic<Int>(0)
        pool.parallelFor(count: 1000) { _, _ in hits.add(1, ordering: .relaxed) }
        #expect(hits.load(ordering: .relaxed) == 1000)
    }
}

/// An atomic counter that can live in an array.
private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
