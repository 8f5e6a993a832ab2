import Foundation

/// `body` on a dispatch thread, awaited: blocking work (waiting for a child process, polling a
/// tmux screen, a synchronous HTTP round trip) must not hold a thread of the concurrency pool,
/// where loopback servers in this process and async clients run (two threads on a 2-core
/// machine). A blocked pool thread once starved a pull into its 60 s stall timeout, and a
/// picker test's polls into a 30 s wait.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
