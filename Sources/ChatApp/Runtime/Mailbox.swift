import Foundation

/// A thread-safe queue of events for the UI loop: session callbacks and background work post,
/// the loop drains.
public final class Mailbox<Item: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Item] = []

    public init() {}

    public func post(_ item: Item) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }

    /// Everything posted so far, oldest first.
    public func drain() -> [Item] {
        lock.lock()
        defer { lock.unlock() }
        let taken = items
        items.removeAll(keepingCapacity: true)
        return taken
    }

    public var isEmpty: Bool {
        lock.lock()
        defer { lock.unlock() }
        return items.isEmpty
    }
}
