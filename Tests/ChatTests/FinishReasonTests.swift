import Foundation
import TestSupport
import Testing

@testable import Chat

/// A finish reason this version does not know (a newer Parley's, another tool's) keeps the
/// answer's record when a transcript is read, and is written back unchanged.
struct FinishReasonTests {
    /// The committed example transcript at `name` with every `"finish_reason": "stop"` renamed.
    private func example(_ name: String, reason: String) throws -> Data {
        let text = try String(contentsOf: TestPaths.repositoryFile("transcripts/\(name)"), encoding: .utf8)
        let renamed = text.replacingOccurrences(
            of: "\"finish_reason\" : \"stop\"", with: "\"finish_reason\" : \"\(reason)\""
        )
        .replacingOccurrences(of: "\"finish_reason\": \"stop\"", with: "\"finish_reason\": \"\(reason)\"")
        #expect(renamed != text, "the example has a stop reason to rename")
        return Data(renamed.utf8)
    }

    @Test func unknownReasonKeepsTheRecordAndRoundTrips() throws {
        let data = try example("example-arithmetic.json", reason: "content_filter")
        let transcript = try TranscriptStore.decode(data, path: "example-arithmetic.json")
        let record = try #require(transcript.conversation.messages.last?.record, "the answer's record was dropped")
        #expect(record.finishReason.rawValue == "content_filter")
        #expect(record.seed == 1 && record.usage.completionTokens == 12 && record.parameters.temperature == 0)

        let saved = try #require(TranscriptStore.encode(transcript))
        let object = try #require(try JSONSerialization.jsonObject(with: saved) as? [String: Any])
        let messages = try #require(object["messages"] as? [[String: Any]])
        #expect(messages.last?["finish_reason"] as? String == "content_filter")
        let again = try TranscriptStore.decode(saved, path: "again.json")
        #expect(again.conversation.messages == transcript.conversation.messages)
    }

    @Test func unknownReasonInAlternativesIsKept() throws {
        let data = try example("example-alternatives.json", reason: "tool_calls")
        let transcript = try TranscriptStore.decode(data, path: "example-alternatives.json")
        let answers = transcript.conversation.messages.filter { $0.role == .assistant }.flatMap(\.answers)
        #expect(!answers.isEmpty)
        #expect(answers.allSatisfy { $0.record != nil }, "an alternative lost its record")
        #expect(answers.contains { $0.record?.finishReason.rawValue == "tool_calls" })
        let saved = try #require(TranscriptStore.encode(transcript))
        #expect(
            try TranscriptStore.decode(saved, path: "again.json").conversation.messages
                == transcript.conversation.messages)
    }
}
