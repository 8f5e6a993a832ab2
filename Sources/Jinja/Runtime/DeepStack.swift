import Foundation
import Synchronization

/// Runs parsing and rendering on a dedicated thread with a large stack, and measures how much of
/// it is in use.
///
/// The parser and interpreter are recursive, and how deep a hostile template can make them go
/// depends on the frame sizes of the build (debug frames are several times larger). Callers may be
/// on threads with small stacks (Swift concurrency pool threads), so instead of guessing limits
/// that fit any stack, the work moves to a thread whose stack size is known and `StackGuard`
/// turns "almost out of stack" into a clean `JinjaError.limit`.
///
/// The threads are reused: a render takes an idle worker (or starts one), and gives it back
/// afterwards. Starting a thread per render cost a 64 MB mapping and a thread start each time,
/// and LeakSanitizer saw the parser objects still held by an exiting thread.
enum DeepStack {
    /// Virtual size of a worker thread's stack (only touched pages use memory).
    static let stackSize = 64 << 20
    /// Stack the work may use before `StackGuard.check()` fails, leaving room for library code.
    static let usableBytes = 48 << 20
    /// Idle workers kept for the next renders; a burst of more renders at once than this starts
    /// extra workers, which end after their job.
    static let maxIdleWorkers = 4

    private static let idle = Mutex<[DeepStackWorker]>([])

    static func run<T: Sendable>(_ work: @escaping @Sendable (StackGuard) throws(JinjaError) -> T) throws(JinjaError)
        -> T
    {
        let reused = idle.withLock { $0.popLast() }
        guard let worker = reused ?? DeepStackWorker.start(stackSize: stackSize) else {
            throw JinjaError.limit(message: "could not start the template worker thread")
        }
        let box = ResultBox<T>()
        worker.perform {
            var marker: UInt8 = 0
            let base = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
            box.result = Result { () throws(JinjaError) in try work(StackGuard(base: base, limit: usableBytes)) }
        }
        let kept = idle.withLock { workers in
            guard workers.count < maxIdleWorkers else { return false }
            workers.append(worker)
            return true
        }
        if !kept { worker.stop() }
        guard let outcome = box.result else {
            throw JinjaError.limit(message: "template worker thread ended without a result")
        }
        return try outcome.get()
    }

    /// Hands the result from the worker to the caller. Unchecked because `perform` orders the
    /// accesses: the worker writes before it signals completion, the caller reads after it.
    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        var result: Result<T, JinjaError>?
    }
}

/// One large-stack thread that runs jobs handed to it, one at a time, until stopped.
final class DeepStackWorker: Sendable {
    private let job = Mutex<(@Sendable () -> Void)?>(nil)
    private let jobReady = DispatchSemaphore(value: 0)
    private let jobDone = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)

    /// Starts the thread; nil when the system refuses a thread with that stack.
    static func start(stackSize: Int) -> DeepStackWorker? {
        let worker = DeepStackWorker()
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, stackSize) == 0,
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) == 0
        else { return nil }
        // The thread owns one reference until its loop ends.
        let context = Unmanaged.passRetained(worker).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, &attributes,
            { context in
                guard let context else { return nil }
                Unmanaged<DeepStackWorker>.fromOpaque(context).takeRetainedValue().loop()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<DeepStackWorker>.fromOpaque(context).release()
            return nil
        }
        return worker
    }

    /// Runs `work` on this worker's thread and waits for it to finish.
    func perform(_ work: @escaping @Sendable () -> Void) {
        job.withLock { $0 = work }
        jobReady.signal()
        jobDone.wait()
    }

    /// Ends the thread once it is idle.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        jobReady.signal()
    }

    private func loop() {
        while true {
            jobReady.wait()
            if stopping.load(ordering: .sequentiallyConsistent) { return }
            // Take the job out of the slot, so nothing it captured outlives the run.
            if let work = job.withLock({ slot in
                defer { slot = nil }
                return slot
            }) {
                work()
            }
            jobDone.signal()
        }
    }
}
