import Dispatch
import Foundation
import Synchronization
import TerminalUI

/// Signals posted by dispatch sources, collected for the UI thread's `nextEvent`.
///
/// Nothing happens in the signal handler itself: a dispatch source turns the signal into an
/// ordinary callback on a queue, which only records it here.
final class SignalMailbox: Sendable {
    private let pending = Mutex<[TerminalSignal]>([])

    func post(_ signal: TerminalSignal) {
        pending.withLock { $0.append(signal) }
    }

    func take() -> TerminalSignal? {
        pending.withLock { $0.isEmpty ? nil : $0.removeFirst() }
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
