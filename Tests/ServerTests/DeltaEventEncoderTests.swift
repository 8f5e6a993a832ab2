import Chat
import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import Server

/// The per-token SSE fast path against the generic chunk encoder it replaces: the same bytes
/// for every text, and the text read back by Foundation's JSON parser (an independent reader).
struct DeltaEventEncoderTests {
    private let encoding = CompletionEncoding(
        id: "chatcmpl-0e1f", model: "SmolLM2 \"Q4_1\"\n", created: 1_733_000_000, logprobs: false)

    /// Seeded texts mixing plain ASCII with everything JSON escapes and multi-byte characters.
    private func texts() -> [String] {
        var random = SeededRandom(seed: 13)
        let pieces = [
            "a", " the", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}",
            "\u{2027}", "\u{20AC}", "é", "🦜", "\u{FFFD}", "/", "'", "<", "{}", "data: ", "\r\n"
        ]
        var texts = ["", "Hello", " world", String(repeating: "x", count: 300)]
        for _ in 0..<500 {
            texts.append(
                (0..<Int.random(in: 1...8, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
                    .joined())
        }
        return texts
    }

    @Test func eventsEqualTheGenericEncoderByteForByte() throws {
        for usage in [false, true] {
            let encoder = DeltaEventEncoder(encoding, withUsageField: usage)
            for (number, text) in texts().enumerated() {
                let choice = number % 3 == 0 ? number % 11 : 0
                let fast = String(buffer: encoder.event(choice: choice, content: text))
                let generic = ServerSentEvents.event(
                    encoding.chunk(choice: choice, content: text, withUsageField: usage))
                #expect(fast == generic, "\(Array(text.unicodeScalars))")
            }
        }
    }

    @Test func foundationReadsTheTextBack() throws {
        let encoder = DeltaEventEncoder(encoding, withUsageField: true)
        for text in texts() {
            let event = String(buffer: encoder.event(choice: 2, content: text))
            #expect(event.hasPrefix("data: {") && event.hasSuffix("}\n\n") && !event.dropLast(2).contains("\n"))
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8)) as? [String: Any])
            let choice = try #require((object["choices"] as? [[String: Any]])?.first)
            #expect(choice["index"] as? Int == 2)
            #expect((choice["delta"] as? [String: Any])?["content"] as? String == text)
            #expect(object["usage"] is NSNull)
            #expect(object["model"] as? String == encoding.model)
        }
    }
}
