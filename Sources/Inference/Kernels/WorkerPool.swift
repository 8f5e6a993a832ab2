import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fixed set of threads that run one parallel job at a time, the calling thread included.
///
/// A matrix-vector product takes tens of microseconds, so waking threads per operation through
/// Dispatch or creating them would cost more than the work. Helpers instead spin on the job
/// gate for a while after each job (answering the next one in well under a microsecond) and
/// park on a condition variable only when idle longer. Work is handed out as numbered items
/// taken from a shared counter, so a helper the OS has descheduled never stalls the caller
/// (the caller simply takes its items). `run`/`parallelFor` are not reentrant and must be
/// called from one thread at a time (the model's owner).
public final class WorkerPool: @unchecked Sendable {
    // @unchecked: `threads` is written only in init and deinit; jobs cross threads through `PoolState`.
    /// Threads working on a job, the caller included.
    public let threadCount: Int
    private let state: PoolState
    private var threads: [pthread_t] = []

    /// The most threads a pool accepts: far beyond any CPU this runs on, and low enough that a
    /// mistyped count cannot exhaust the process's threads (each helper reserves a stack).
    public static let maxThreads = 256

    /// Starts `threads - 1` helper threads.
    ///
    /// - Throws: `InferenceError.invalidArgument` for a count outside `1...maxThreads`;
    ///   `InferenceError.threadStartFailed` when the system refuses a thread (the ones already
    ///   started are stopped and joined first, so nothing leaks).
    public convenience init(threads: Int) throws(InferenceError) {
        try self.init(threads: threads, spinLimit: Self.defaultSpinLimit)
    }

    /// Spin iterations before an idle helper parks: roughly 50-100 µs on current CPUs.
    static let defaultSpinLimit = 100_000

    /// Starts one helper thread running `workerPoolEntry(context)`; returns 0 or an errno value,
    /// as `pthread_create` does. Tests pass their own to make thread creation fail on demand.
    typealias ThreadSpawner = (_ thread: inout pthread_t, _ context: UnsafeMutableRawPointer) -> Int32

    /// The real spawner: `pthread_create` with default attributes.
    static func systemSpawner(_ thread: inout pthread_t, _ context: UnsafeMutableRawPointer) -> Int32 {
        pthread_create(&thread, nil, workerPoolEntry, context)
    }

    /// `spinLimit` 0 parks helpers at once (tests use it to exercise the wake-up path).
    /// `onHelperExit` runs on each helper thread as it ends (tests count the threads joined).
    init(
        threads: Int, spinLimit: Int, spawner: ThreadSpawner = WorkerPool.systemSpawner,
        onHelperExit: (@Sendable () -> Void)? = nil
    ) throws(InferenceError) {
        guard (1...Self.maxThreads).contains(threads) else {
            throw .invalidArgument("thread count must be between 1 and \(Self.maxThreads), got \(threads)")
        }
        threadCount = threads
        state = PoolState(workers: threadCount, spinLimit: spinLimit)
        for index in 1..<threadCount {
            let context = Unmanaged.passRetained(HelperContext(state: state, thread: index, onExit: onHelperExit))
            var thread = pthread_t()
            let status = spawner(&thread, context.toOpaque())
            guard status == 0 else {
                context.release()
                stopHelpers()
                throw .threadStartFailed(requested: threads, started: index, code: status)
            }
            self.threads.append(thread)
        }
    }

    deinit { stopHelpers() }

    /// Tells every helper to exit and waits for them.
    private func stopHelpers() {
        state.shutdown()
        for thread in threads { pthread_join(thread, nil) }
        threads.removeAll()
    }

    /// Runs `body(worker, workers)` exactly once for every `worker` in `0..<threadCount`
    /// (`workers == threadCount`) and returns when all have finished. The indexes are slots,
    /// not threads: split work by `worker`; two slots never run at the same time on one
    /// thread, but one thread may run several slots in turn.
    public func run(_ body: (_ worker: Int, _ workers: Int) -> Void) {
        let workers = threadCount
        parallelFor(count: workers) { item, _ in body(item, workers) }
    }

    /// Runs `body(item, thread)` exactly once for every `item` in `0..<count`, spread over the
    /// pool's threads (items are taken in order from a shared counter), and returns when all
    /// are done. `thread` (0..<threadCount, 0 = caller) identifies the running thread, for
    /// per-thread scratch buffers. Use more items than threads for load balance; each item
    /// should be at least a few µs of work.
    public func parallelFor(count: Int, _ body: (_ item: Int, _ thread: Int) -> Void) {
        guard count > 0 else { return }
        if threadCount == 1 || count == 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        state.execute(count: count, body)
    }
}

/// The helper thread's start routine (a C function pointer: no captures).
#if canImport(Darwin)
    private func workerPoolEntry(_ raw: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        Unmanaged<HelperContext>.fromOpaque(raw).takeRetainedValue().run()
        return nil
    }
#else
    private func workerPoolEntry(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        guard let raw else { return nil }
        Unmanaged<HelperContext>.fromOpaque(raw).takeRetainedValue().run()
        return nil
    }
#endif

/// What a helper thread needs: the shared state and its thread index.
private final class HelperContext: Sendable {
    let state: PoolState
    let thread: Int
    let onExit: (@Sendable () -> Void)?

    init(state: PoolState, thread: Int, onExit: (@Sendable () -> Void)?) {
        self.state = state
        self.thread = thread
        self.onExit = onExit
    }

    func run() {
        state.helperLoop(thread: thread)
        onExit?()
    }
}
