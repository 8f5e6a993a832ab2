import Dispatch
import Foundation
import Glibc

/// Catches SIGTERM and SIGHUP during `run` so the answer can stop cleanly, the conversation be
/// saved, and the process still exit as a signal would (128 + the signal's number).
final class SignalTrap: @unchecked Sendable {
    // @unchecked: `received` and `handler` are only touched under `lock`; `sources` only in init.
    private let lock = NSLock()
    private var received: Int32?
    private var handler: (@Sendable () -> Void)?
    private var sources: [any DispatchSourceSignal] = []

    init(_ signals: [Int32]) {
        for number in signals {
            Glibc.signal(number, SIG_IGN) // the dispatch source sees it; the default action would kill us
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal caught, if any.
    var signal: Int32? { lock.withLock { received } }

    /// Runs `body` on the first signal (at once if one has already arrived).
    func onSignal(_ body: @escaping @Sendable () -> Void) {
        let already = lock.withLock { () -> Bool in
            handler = body
            return received != nil
        }
        if already { body() }
    }

    private func fire(_ number: Int32) {
        let body = lock.withLock { () -> (@Sendable () -> Void)? in
            guard received == nil else { return nil }
            received = number
            return handler
        }
        body?()
    }
}

/// Ends the process with 128 + `signal` (143 for SIGTERM, 129 for SIGHUP), after the work a
/// signal interrupted has been saved.
struct SignalExit: Error {
    var signal: Int32
}
