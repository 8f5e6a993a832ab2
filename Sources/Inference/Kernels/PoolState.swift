import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shared state of a `WorkerPool`: the published job, its work counter, and a gate word
/// that helpers watch and enter.
///
/// The gate packs `generation << 32 | closed << 31 | active helpers`. The caller publishes a
/// job by storing a new generation (open, no helpers), then takes work items itself. A helper
/// joins only while the gate is open and still at the generation it saw, by a compare-exchange
/// that counts it in. When the caller runs out of items it closes the gate and waits for the
/// helpers inside to finish their items. A helper that was descheduled therefore never holds
/// the caller up unless it already took an item, and never touches a job it did not join.
final class PoolState: @unchecked Sendable {
    // @unchecked: `job` and `itemCount` are written before the gate opens and read by helpers after.
    /// (item, thread): the work item and the index of the thread running it (0 = caller).
    typealias Job = (Int, Int) -> Void

    let workers: Int
    /// Spin iterations (each an atomic load) before an idle helper parks.
    private let spinLimit: Int
    private let gate = Atomic<UInt64>(0)
    private let nextItem = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Written by the caller before opening the gate; read by helpers that joined.
    private var job: Job?
    private var itemCount = 0
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    private static let closedBit: UInt64 = 1 << 31
    private static let activeMask: UInt64 = (1 << 31) - 1

    init(workers: Int, spinLimit: Int) {
        self.workers = workers
        self.spinLimit = spinLimit
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(condition)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `job(i)` exactly once for every `i` in `0..<count`, on the caller and any helpers
    /// that join in time; returns when all items are done.
    func execute(count: Int, _ job: Job) {
        withoutActuallyEscaping(job) { job in
            self.job = job
            itemCount = count
            nextItem.store(0, ordering: .relaxed)
            let generation = (gate.load(ordering: .relaxed) >> 32) &+ 1
            gate.store(generation << 32, ordering: .sequentiallyConsistent)
            wakeSleepers()
            drain(thread: 0)
            gate.bitwiseOr(Self.closedBit, ordering: .sequentiallyConsistent)
            // Helpers inside hold items: spin briefly, then yield the core (a descheduled
            // helper may need it to finish).
            var spins = 0
            while gate.load(ordering: .acquiring) & Self.activeMask != 0 {
                spins += 1
                if spins > 20_000 { sched_yield() }
            }
            self.job = nil
        }
    }

    /// Takes and runs items until none are left. Any reference to the job taken here is
    /// dropped on return, so the caller's `withoutActuallyEscaping` check holds.
    @inline(never)
    private func drain(thread: Int) {
        guard let job else { return }
        while true {
            let item = nextItem.wrappingAdd(1, ordering: .relaxed).oldValue
            guard item < itemCount else { return }
            job(item, thread)
        }
    }

    /// A helper thread's life: wait for a generation, join it if still open, drain, repeat.
    func helperLoop(thread: Int) {
        var seen: UInt64 = 0
        while true {
            let state = awaitGeneration(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            seen = state >> 32
            if join(generation: seen, state: state) {
                drain(thread: thread)
                gate.wrappingSubtract(1, ordering: .releasing)
            }
        }
    }

    /// Counts this helper into the job of `generation` if its gate is still open.
    private func join(generation: UInt64, state: UInt64) -> Bool {
        var current = state
        while current >> 32 == generation && current & Self.closedBit == 0 {
            let (exchanged, original) = gate.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Spins, then parks, until the gate's generation differs from `seen`; returns the gate.
    private func awaitGeneration(after seen: UInt64) -> UInt64 {
        var spins = 0
        var state = gate.load(ordering: .acquiring)
        while state >> 32 == seen {
            if spins < spinLimit {
                spins += 1
            } else {
                park(seen: seen)
            }
            state = gate.load(ordering: .acquiring)
        }
        return state
    }

    private func park(seen: UInt64) {
        sleepers.add(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        while gate.load(ordering: .sequentiallyConsistent) >> 32 == seen {
            pthread_cond_wait(condition, mutex)
        }
        pthread_mutex_unlock(mutex)
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
    }

    private func wakeSleepers() {
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Tells the helpers to exit and wakes them (a new, closed generation nobody can join).
    func shutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        let generation = (gate.load(ordering: .relaxed) >> 32) &+ 1
        gate.store(generation << 32 | Self.closedBit, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
