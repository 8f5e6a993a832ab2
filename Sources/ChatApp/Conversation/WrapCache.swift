import Foundation

/// Wrapped lines per block and width, computed on first use.
///
/// Only blocks that are drawn or scrolled over are ever wrapped, so opening a 5,000-message
/// transcript wraps the last screenful, not the whole history. An entry is reused only when its
/// block still shows the same text (`BlockSource` equality, which for unchanged messages is a
/// storage-identity check), and a new width drops every entry of the old one.
///
/// It is derived data, so `AppState` ignores it when comparing states; a lock makes it safe to
/// share between copies of a state on different threads.
public final class WrapCache: @unchecked Sendable {
    private let lock = NSLock()
    private var width = -1
    private var entries: [BlockKey: Entry] = [:]
    /// Past this many entries the cache starts over (a bound on memory, not a tuning knob).
    private let capacity = 20_000

    private struct Entry {
        var source: BlockSource
        var lines: [PaneLine]
    }

    public init() {}

    /// The wrapped lines of `key` showing `source` at `width`.
    func lines(for key: BlockKey, source: BlockSource, width: Int) -> [PaneLine] {
        lock.lock()
        defer { lock.unlock() }
        if width != self.width || entries.count >= capacity {
            entries.removeAll(keepingCapacity: true)
            self.width = width
        }
        if let entry = entries[key], entry.source == source { return entry.lines }
        let lines = BlockRenderer.lines(for: source, width: width)
        entries[key] = Entry(source: source, lines: lines)
        return lines
    }

    /// How many blocks are cached (for tests and benchmarks).
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}
