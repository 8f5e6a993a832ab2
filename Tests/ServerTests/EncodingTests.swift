import Chat
import Foundation
import Hummingbird
import Inference
import Testing

@testable import Server

/// Response objects, stream chunks, SSE framing and error bodies, read back with Foundation's
/// own JSON parser (an independent reader of what we write).
@Suite struct EncodingTests {
    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func serializationEscapesEverythingJSONNeeds() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} line sep \u{2028} emoji 🦜 é"
        let text = JSONValue.object([
            ("s", .string(tricky)), ("n", .double(0.25)), ("i", .int(-3)), ("b", true),
            ("z", .null), ("a", .array([1, "x"]))
        ]).serialized
        #expect(!text.contains("\n"))
        let parsed = try object(text)
        #expect(parsed["s"] as? String == tricky)
        #expect(parsed["n"] as? Double == 0.25)
        #expect(parsed["i"] as? Int == -3)
        #expect(parsed["b"] as? Bool == true)
        #expect(parsed["z"] is NSNull)
    }

    @Test func parsedValuesSerializeBackToTheSameValue() throws {
        let source = #"{"a": [1, 2.5, -7, true, null, "x\ny"], "b": {"c": 1e3}}"#
        let value = try JSONValue.parse(Data(source.utf8))
        #expect(try JSONValue.parse(Data(value.serialized.utf8)) == value)
    }

    @Test func sseEventsAreOneDataLineAndABlankLine() {
        let event = ServerSentEvents.event(.object([("text", .string("two\nlines"))]))
        #expect(event.hasPrefix("data: {"))
        #expect(event.hasSuffix("}\n\n"))
        #expect(event.dropLast(2).contains("\n") == false)
        #expect(ServerSentEvents.done == "data: [DONE]\n\n")
    }

    private let encoding = CompletionEncoding(id: "chatcmpl-1", model: "m", created: 7, logprobs: true)

    @Test func completionObjectHasOpenAIsShape() throws {
        let token = TokenLogprob(
            token: "Hi", bytes: [72, 105], logprob: -0.5,
            topLogprobs: [.init(token: "Hi", bytes: [72, 105], logprob: -0.5)])
        let completion = Completion(
            choices: [
                .init(index: 0, text: "Hi", reason: .stop, completionTokens: 1, logprobs: [token]),
                .init(index: 1, text: "Yo", reason: .length, completionTokens: 2, logprobs: [])
            ],
            usage: Usage(promptTokens: 5, completionTokens: 3, cachedTokens: 2),
            timings: Timings(prefillTokensPerSecond: 1, decodeTokensPerSecond: 1), seed: 9)
        let json = try object(encoding.completion(completion).serialized)
        #expect(json["object"] as? String == "chat.completion")
        let choices = try #require(json["choices"] as? [[String: Any]])
        #expect(choices.count == 2)
        #expect((choices[0]["message"] as? [String: Any])?["content"] as? String == "Hi")
        #expect(choices[1]["finish_reason"] as? String == "length")
        let content = try #require((choices[0]["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
        #expect(content.first?["bytes"] as? [Int] == [72, 105])
        #expect((content.first?["top_logprobs"] as? [[String: Any]])?.count == 1)
        let usage = try #require(json["usage"] as? [String: Any])
        #expect(
            usage["prompt_tokens"] as? Int == 5 && usage["completion_tokens"] as? Int == 3
                && usage["total_tokens"] as? Int == 8)
    }

    @Test func chunksCarryDeltasAndTheUsageChunkHasNoChoices() throws {
        let first = try object(encoding.chunk(choice: 1, role: true, content: "", withUsageField: true).serialized)
        #expect(first["object"] as? String == "chat.completion.chunk")
        #expect(first["usage"] is NSNull)
        let choice = try #require((first["choices"] as? [[String: Any]])?.first)
        #expect(choice["index"] as? Int == 1)
        #expect((choice["delta"] as? [String: Any])?["role"] as? String == "assistant")
        let last = try object(encoding.chunk(choice: 0, content: nil, finishReason: .cancelled).serialized)
        let lastChoice = try #require((last["choices"] as? [[String: Any]])?.first)
        #expect((lastChoice["delta"] as? [String: Any])?.isEmpty == true)
        #expect(lastChoice["finish_reason"] as? String == "stop")
        let usage = try object(
            encoding.usageChunk(Usage(promptTokens: 1, completionTokens: 2, cachedTokens: 0)).serialized)
        #expect((usage["choices"] as? [Any])?.isEmpty == true)
        #expect((usage["usage"] as? [String: Any])?["total_tokens"] as? Int == 3)
    }

    @Test func errorBodiesHaveOpenAIsShapeAndStatuses() throws {
        let cases: [(ServerError, Int, String)] = [
            (.invalidRequest("bad", param: "n"), 400, "invalid_request_error"),
            (.contextLengthExceeded("long"), 400, "invalid_request_error"),
            (.unauthorized, 401, "authentication_error"),
            (.unknownPath("/x"), 404, "invalid_request_error"),
            (.modelNotFound("x"), 404, "invalid_request_error"),
            (.payloadTooLarge(limit: 10), 413, "invalid_request_error"),
            (.queueFull(retryAfterSeconds: 2), 503, "server_overloaded")
        ]
        for (error, status, type) in cases {
            #expect(error.status.code == status)
            let body = try #require(try object(error.body.serialized)["error"] as? [String: Any])
            #expect(body["type"] as? String == type)
            #expect(body["message"] as? String == error.description)
            #expect(body.keys.sorted() == ["code", "message", "param", "type"])
        }
        #expect(ServerError.contextLengthExceeded("x").code == "context_length_exceeded")
        let response = APIMiddleware.errorResponse(.queueFull(retryAfterSeconds: 3))
        #expect(response.headers[.retryAfter] == "3")
    }

    @Test func keyComparisonNeedsEveryByte() {
        let key = Array("sk-secret".utf8)
        #expect(ConstantTime.equal(key, key))
        #expect(!ConstantTime.equal(Array("sk-secreT".utf8), key))
        #expect(!ConstantTime.equal(Array("sk-secret2".utf8), key))
        #expect(!ConstantTime.equal(Array("sk-secre".utf8), key))
        #expect(!ConstantTime.equal([UInt8](), key))
    }
}
