import Foundation

/// Runs parsing and rendering on a dedicated thread with a large stack, and measures how much of
/// it is in use.
///
/// The parser and interpreter are recursive, and how deep a hostile template can make them go
/// depends on the frame sizes of the build (debug frames are several times larger). Callers may be
/// on threads with small stacks (Swift concurrency pool threads), so instead of guessing limits
/// that fit any stack, the work moves to a thread whose stack size is known and `StackGuard`
/// turns "almost out of stack" into a clean `JinjaError.limit`.
enum DeepStack {
    /// Virtual size of the worker thread's stack (only touched pages use memory).
    static let stackSize = 64 << 20
    /// Stack the work may use before `StackGuard.check()` fails, leaving room for library code.
    static let usableBytes = 48 << 20

    static func run<T: Sendable>(_ work: @escaping @Sendable (StackGuard) throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var marker: UInt8 = 0
            let base = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
            let outcome = Result { try work(StackGuard(base: base, limit: usableBytes)) }
            box.result = outcome
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        guard let outcome = box.result else {
            throw JinjaError.limit(message: "template worker thread ended without a result")
        }
        return try outcome.get()
    }

    /// Hands the result from the worker to the caller. Unchecked because the semaphore orders the
    /// accesses: the worker writes before `signal()`, the caller reads after `wait()`.
    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}

/// Fails cleanly when the current thread has used more than `limit` bytes of stack since `base`.
struct StackGuard: Sendable {
    let base: UInt
    let limit: Int

    /// A guard that never fires (for code already known to run shallowly).
    static let unlimited = StackGuard(base: 0, limit: Int.max)

    @inline(never)
    func check() throws {
        guard base != 0 else { return }
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        if base > here && Int(base - here) > limit {
            throw JinjaError.limit(message: "template nesting exhausted the native stack")
        }
    }
}
