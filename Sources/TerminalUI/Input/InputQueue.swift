/// Decoded input events waiting to be handed out, first in, first out, each in O(1).
///
/// A paste the terminal types out (no bracketed paste) decodes to one event per character. The
/// backend kept them in an array and took `removeFirst()`, which moves every event behind the
/// first: a typed 200 KB paste took 11 s in tmux, three quarters of it in `memmove`, and the
/// time grew with the square of the size. Here the events taken are only counted, and the array
/// drops them once it is empty or they are most of it.
public struct InputQueue: Sendable {
    private var events: [InputEvent] = []
    /// Index of the next event to hand out; everything before it was taken.
    private var head = 0

    public init() {}

    public var isEmpty: Bool { head == events.count }

    /// Events waiting.
    public var count: Int { events.count - head }

    /// Appends `newEvents` after those waiting.
    public mutating func append(contentsOf newEvents: [InputEvent]) {
        guard !newEvents.isEmpty else { return }
        if head > 0 && head * 2 >= events.count {
            events.removeFirst(head) // moves the waiting events, no more than were taken
            head = 0
        }
        events.append(contentsOf: newEvents)
    }

    /// The oldest waiting event, removed; nil when none waits.
    public mutating func popFirst() -> InputEvent? {
        guard head < events.count else { return nil }
        let event = events[head]
        head += 1
        if head == events.count {
            events.removeAll(keepingCapacity: true)
            head = 0
        }
        return event
    }

    public static func += (queue: inout InputQueue, newEvents: [InputEvent]) {
        queue.append(contentsOf: newEvents)
    }
}
