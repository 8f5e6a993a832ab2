import Dispatch
import Foundation
import TerminalUI

/// Signals posted by dispatch sources, collected for the UI thread's `nextEvent`.
///
/// Nothing happens in the signal handler itself: a dispatch source turns the signal into an
/// ordinary callback on a queue, which only records it here.
final class SignalMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [TerminalSignal] = []

    func post(_ signal: TerminalSignal) {
        lock.lock()
        pending.append(signal)
        lock.unlock()
    }

    func take() -> TerminalSignal? {
        lock.lock()
        defer { lock.unlock() }
        return pending.isEmpty ? nil : pending.removeFirst()
    }
}

extension NcursesTerminal {
    /// Delivers `signals` as `.signal` events from `nextEvent` instead of letting them kill the
    /// process with the terminal still in raw mode. `onSignal`, if given, also runs on a
    /// background queue as each arrives (for setting a cancellation flag; do not touch the UI).
    public func installSignalHandlers(
        _ signals: [TerminalSignal] = [.interrupt, .terminate, .hangup],
        onSignal: (@Sendable (TerminalSignal) -> Void)? = nil
    ) {
        let queue = DispatchQueue(label: "parley.signals")
        let mailbox = self.mailbox
        for terminalSignal in signals {
            signal(terminalSignal.rawValue, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: terminalSignal.rawValue, queue: queue)
            source.setEventHandler {
                mailbox.post(terminalSignal)
                onSignal?(terminalSignal)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    func removeSignalHandlers() {
        for source in signalSources {
            source.cancel()
            signal(Int32(source.handle), SIG_DFL)
        }
        signalSources.removeAll()
    }
}
