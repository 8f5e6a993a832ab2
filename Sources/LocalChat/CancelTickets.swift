import Inference
import Synchronization

/// Which answers a cancel stops: every one sent before it, whether it is running or still
/// waiting for the session's queue, and none sent after it.
///
/// `send` used to clear the engine's cancel flag on the caller's thread, so a cancel followed
/// quickly by a send cleared the flag while the cancelled answer was still running, and that
/// answer ran to its end (issue #12 item 5). Now each request takes a ticket when it is sent,
/// and the flag is set for it on the session's queue, just before it runs, from whether a
/// cancel came after its ticket. A cancel raises the flag for the answer running now too.
final class CancelTickets: Sendable {
    private struct State {
        /// The last ticket handed out.
        var issued: UInt64 = 0
        /// Tickets up to this one are cancelled.
        var cancelledThrough: UInt64 = 0
    }

    private let state = Mutex(State())
    /// The flag the engine checks between tokens and the template render checks as it runs:
    /// raised exactly while the request running on the queue is cancelled.
    let flag = CancellationFlag()

    /// A ticket for a request being sent now (any thread).
    func issue() -> UInt64 {
        state.withLock { state in
            state.issued += 1
            return state.issued
        }
    }

    /// Cancels every request issued so far (any thread).
    func cancelIssued() {
        state.withLock { state in
            state.cancelledThrough = state.issued
            flag.cancel()
        }
    }

    /// Sets the flag for the request holding `ticket`, which starts running now (on the
    /// session's queue): raised if a cancel came after it was sent, lowered otherwise.
    func begin(_ ticket: UInt64) {
        state.withLock { state in
            if state.cancelledThrough >= ticket { flag.cancel() } else { flag.reset() }
        }
    }
}
