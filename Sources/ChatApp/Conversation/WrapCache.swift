import Foundation
import Synchronization

/// Wrapped lines per block and width, computed on first use.
///
/// Only blocks that are drawn or scrolled over are ever wrapped, so opening a 5,000-message
/// transcript wraps the last screenful, not the whole history. An entry is reused only when its
/// block still shows the same text (`BlockSource` equality, which for unchanged messages is a
/// storage-identity check), and a new width drops every entry of the old one.
///
/// It is derived data, so `AppState` ignores it when comparing states; a lock makes it safe to
/// share between copies of a state on different threads.
public final class WrapCache: Sendable {
    private let state = Mutex(State())
    /// Past this many entries the cache starts over (a bound on memory, not a tuning knob).
    private let capacity = 20_000

    private struct State {
        var width = -1
        var entries: [BlockKey: Entry] = [:]
    }

    private struct Entry {
        var source: BlockSource
        var lines: [PaneLine]
    }

    public init() {}

    /// The wrapped lines of `key` showing `source` at `width`.
    func lines(for key: BlockKey, source: BlockSource, width: Int) -> [PaneLine] {
        state.withLock { state in
            if width != state.width || state.entries.count >= capacity {
                state.entries.removeAll(keepingCapacity: true)
                state.width = width
            }
            if let entry = state.entries[key], entry.source == source { return entry.lines }
            let lines = BlockRenderer.lines(for: source, width: width)
            state.entries[key] = Entry(source: source, lines: lines)
            return lines
        }
    }

    /// How many blocks are cached (for tests and benchmarks).
    public var count: Int {
        state.withLock { $0.entries.count }
    }
}
