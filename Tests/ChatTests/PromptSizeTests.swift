import Testing

@testable import Chat
@testable import LocalChat

/// A conversation too large to tokenize (issue #10, finding 3) loses its oldest turns like one
/// with too many tokens; only a newest message beyond the limit is an error.
struct PromptSizeTests {
    @Test func aConversationTooLargeToTokenizeDropsOldTurnsOrIsRefusedClearly() throws {
        let policy = ContextPolicy(contextLength: 100)
        // Stands in for ChatSession's encoder: a prompt over 100 bytes is refused as too large.
        let encode = { (conversation: Conversation) throws(ChatError) -> (tokens: [Int32], notices: [String]) in
            let bytes = conversation.messages.reduce(0) { $0 + $1.content.utf8.count }
            guard bytes <= 100 else { throw ChatError.promptTooLarge(bytes: bytes, limit: 100) }
            return ([Int32](repeating: 1, count: bytes / 10), [])
        }
        var conversation = Conversation()
        conversation.parameters.maxTokens = 10
        conversation.messages = [.user(String(repeating: "a", count: 99)), .assistant("b"), .user("short")]
        let fit = try policy.fit(conversation, encode: encode)
        #expect(fit.droppedMessages == 1)
        #expect(fit.tokens.count == 0)
        conversation.messages.append(.user(String(repeating: "c", count: 101)))
        #expect(throws: ChatError.promptTooLarge(bytes: 101, limit: 100)) {
            try policy.fit(conversation, encode: encode)
        }
    }
}
