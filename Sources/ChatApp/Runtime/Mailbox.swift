import Synchronization

/// A thread-safe queue of events for the UI loop: session callbacks and background work post,
/// the loop drains.
public final class Mailbox<Item: Sendable>: Sendable {
    private let items = Mutex<[Item]>([])

    public init() {}

    public func post(_ item: Item) {
        items.withLock { $0.append(item) }
    }

    /// Everything posted so far, oldest first.
    public func drain() -> [Item] {
        items.withLock { items in
            let taken = items
            items.removeAll(keepingCapacity: true)
            return taken
        }
    }

    public var isEmpty: Bool {
        items.withLock { $0.isEmpty }
    }
}
