import Testing

@testable import TerminalUI

/// The backend's queue of decoded events (`InputQueue`): first in, first out, whatever the mix
/// of appends and takes, across the compactions that keep it O(1) per event.
@Suite struct InputQueueTests {
    @Test func eventsComeOutInTheOrderTheyWentIn() {
        var queue = InputQueue()
        #expect(queue.isEmpty && queue.popFirst() == nil)
        queue += [.key(.character("a")), .paste("bc")]
        queue += []
        #expect(queue.count == 2)
        #expect(queue.popFirst() == .key(.character("a")))
        queue += [.key(.enter)]
        #expect(queue.popFirst() == .paste("bc"))
        #expect(queue.popFirst() == .key(.enter))
        #expect(queue.isEmpty && queue.popFirst() == nil)
    }

    static func character(_ event: InputEvent?) -> Character? {
        guard case .key(let key)? = event, case .character(let c) = key.key else { return nil }
        return c
    }

    /// A typed paste: bursts of characters, taken while more arrive (every compaction point).
    @Test func aLongTypedPasteKeepsItsOrder() {
        var queue = InputQueue()
        var sent: [Character] = []
        var received: [Character] = []
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for burst in 0..<400 {
            let size = 1 + (burst * 37) % 200
            let chunk = (0..<size).map { letters[(sent.count + $0) % letters.count] }
            sent += chunk
            queue += chunk.map { .key(.character($0)) }
            for _ in 0..<((burst * 53) % 250) {
                guard let c = Self.character(queue.popFirst()) else { break }
                received.append(c)
            }
            #expect(queue.count == sent.count - received.count)
        }
        while let c = Self.character(queue.popFirst()) { received.append(c) }
        #expect(received == sent)
    }
}
