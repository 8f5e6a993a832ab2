import Chat
import Foundation
import Hummingbird
import Testing

@testable import Server

/// `ChatCompletionRequest.parse`: every field mapped, every bad value refused with its name.
@Suite struct RequestParsingTests {
    private func parse(_ body: String, contextLength: Int? = 2048) throws(ServerError) -> ChatCompletionRequest {
        try ChatCompletionRequest.parse(Data(body.utf8), contextLength: contextLength)
    }

    private func error(_ body: String) -> ServerError? {
        do {
            _ = try parse(body)
            return nil
        } catch { return error }
    }

    @Test func mapsEveryParameter() throws {
        let request = try parse(
            """
            {"model": "m", "messages": [{"role": "system", "content": "Be brief."},
             {"role": "user", "content": [{"type": "text", "text": "Hi "}, {"type": "text", "text": "there"}]}],
             "temperature": 0.5, "top_p": 0.9, "max_tokens": 7, "max_completion_tokens": 9, "stop": "END",
             "presence_penalty": 0.5, "frequency_penalty": -0.5, "seed": 42, "logit_bias": {"13": -100, "7": 2.5},
             "n": 3, "logprobs": true, "top_logprobs": 5, "top_k": 10, "min_p": 0.1, "repeat_penalty": 1.1,
             "stream": true, "stream_options": {"include_usage": true}, "user": "u", "metadata": {"a": "b"}, "store": false}
            """)
        let p = request.conversation.parameters
        #expect(request.model == "m" && request.stream && request.includeUsage)
        #expect(request.conversation.systemPrompt == "Be brief.")
        #expect(request.conversation.messages == [.user("Hi there")])
        #expect(p.temperature == 0.5 && p.topP == 0.9 && p.maxTokens == 9 && p.stop == ["END"])
        #expect(p.presencePenalty == 0.5 && p.frequencyPenalty == -0.5 && p.seed == 42)
        #expect(p.logitBias == ["13": -100, "7": 2.5])
        #expect(p.n == 3 && p.logprobs && p.topLogprobs == 5 && p.topK == 10 && p.minP == 0.1 && p.repeatPenalty == 1.1)
    }

    /// A `logit_bias` id beyond the model's vocabulary is the client's mistake: a 400 naming
    /// `logit_bias` when the request is parsed (it was a 500 from the engine before).
    @Test func logitBiasBeyondTheVocabularyIsABadRequest() throws {
        let body = #"{"messages": [{"role": "user", "content": "x"}], "logit_bias": {"49152": 5}}"#
        #expect(throws: ServerError.self) { try ChatCompletionRequest.parse(Data(body.utf8), vocabularySize: 49152) }
        do {
            _ = try ChatCompletionRequest.parse(Data(body.utf8), vocabularySize: 49152)
        } catch {
            #expect(error.status == .badRequest && error.param == "logit_bias", "\(error)")
        }
        let last = #"{"messages": [{"role": "user", "content": "x"}], "logit_bias": {"49151": 5}}"#
        #expect(
            try ChatCompletionRequest.parse(Data(last.utf8), vocabularySize: 49152).conversation.parameters
                .logitBias == ["49151": 5])
    }

    @Test func absentAndNullFieldsKeepParleyDefaults() throws {
        let request = try parse(#"{"messages": [{"role": "user", "content": "x"}], "temperature": null, "stop": null}"#)
        #expect(request.conversation.parameters == .defaults)
        #expect(request.model == nil && !request.stream && !request.includeUsage)
        #expect(request.conversation.systemPrompt == nil)
    }

    @Test func stopTakesAnArrayAndSeedMinusOneDrawsOne() throws {
        let request = try parse(#"{"messages": [{"role": "user", "content": "x"}], "stop": ["a", "b"], "seed": -1}"#)
        #expect(request.conversation.parameters.stop == ["a", "b"])
        #expect(request.conversation.parameters.seed == nil)
    }

    @Test func laterSystemMessagesStayInPlaceAndAssistantContentMayBeNull() throws {
        let request = try parse(
            """
            {"messages": [{"role": "developer", "content": "A"}, {"role": "user", "content": "q"},
             {"role": "assistant", "content": null}, {"role": "system", "content": "B"}, {"role": "user", "content": "r"}]}
            """)
        #expect(request.conversation.systemPrompt == "A")
        #expect(request.conversation.messages.map(\.role) == [.user, .assistant, .system, .user])
    }

    @Test(arguments: [
        (#"{"messages": [{"role": "user", "content": "x"}], "temperature": 3}"#, "temperature"),
        (#"{"messages": [{"role": "user", "content": "x"}], "temperature": "hot"}"#, "temperature"),
        (#"{"messages": [{"role": "user", "content": "x"}], "top_p": 1.5}"#, "top_p"),
        (#"{"messages": [{"role": "user", "content": "x"}], "max_tokens": 0}"#, "max_tokens"),
        (#"{"messages": [{"role": "user", "content": "x"}], "max_tokens": 99999}"#, "max_tokens"),
        (#"{"messages": [{"role": "user", "content": "x"}], "max_tokens": 1.5}"#, "max_tokens"),
        (#"{"messages": [{"role": "user", "content": "x"}], "stop": ["a", "b", "c", "d", "e"]}"#, "stop"),
        (#"{"messages": [{"role": "user", "content": "x"}], "stop": [1]}"#, "stop"),
        (#"{"messages": [{"role": "user", "content": "x"}], "n": 9}"#, "n"),
        (#"{"messages": [{"role": "user", "content": "x"}], "top_logprobs": 3}"#, "top_logprobs"),
        (#"{"messages": [{"role": "user", "content": "x"}], "logprobs": "yes"}"#, "logprobs"),
        (#"{"messages": [{"role": "user", "content": "x"}], "logit_bias": {"x": 1}}"#, "logit_bias"),
        (#"{"messages": [{"role": "user", "content": "x"}], "logit_bias": {"5": 101}}"#, "logit_bias"),
        (#"{"messages": [{"role": "user", "content": "x"}], "seed": "1"}"#, "seed"),
        (#"{"messages": [{"role": "user", "content": "x"}], "stream": 1}"#, "stream"),
        (
            #"{"messages": [{"role": "user", "content": "x"}], "stream_options": {"include_usage": 1}}"#,
            "stream_options.include_usage"
        ),
        (#"{"messages": [{"role": "user", "content": "x"}], "model": 5}"#, "model"),
        (#"{"messages": []}"#, "messages"),
        (#"{"messages": "hi"}"#, "messages"),
        (#"{"model": "m"}"#, "messages"),
        (#"{"messages": [{"content": "x"}]}"#, "messages[0].role"),
        (#"{"messages": [{"role": "robot", "content": "x"}]}"#, "messages[0].role"),
        (#"{"messages": [{"role": "user"}]}"#, "messages[0].content"),
        (#"{"messages": [{"role": "user", "content": 5}]}"#, "messages[0].content"),
        (#"{"messages": [{"role": "user", "content": [{"type": "text"}]}]}"#, "messages[0].content[0].text"),
        (#"{"messages": [{"role": "system", "content": "only a system prompt"}]}"#, "messages")
    ])
    func refusesBadValuesNamingTheParameter(body: String, param: String) {
        let error = error(body)
        #expect(error?.status == .badRequest)
        #expect(error?.type == "invalid_request_error")
        #expect(error?.param == param, "\(String(describing: error))")
    }

    @Test(arguments: [
        (#"{"messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function"}]}"#, "tools"),
        (
            #"{"messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_schema", "json_schema": {}}}"#,
            "response_format"
        ),
        (
            #"{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}"#,
            "messages[0].content[0]"
        ),
        (#"{"messages": [{"role": "tool", "content": "x"}]}"#, "messages[0].role")
    ])
    func refusesMissingFeaturesByName(body: String, param: String) {
        let error = error(body)
        #expect(error?.status == .badRequest)
        #expect(error?.code == "unsupported_parameter")
        #expect(error?.param == param)
        #expect(error?.description.contains(param.split(separator: "[").first.map(String.init) ?? param) == true)
    }

    @Test func harmlessEmptyFeatureFieldsAreAccepted() throws {
        let request = try parse(
            #"{"messages": [{"role": "user", "content": "x"}], "tools": [], "response_format": {"type": "text"}}"#)
        #expect(request.conversation.messages.count == 1)
    }

    @Test(arguments: [
        #"{"messages": [{"role": "user", "content": "x"}"#, // truncated
        "",
        "[1, 2]",
        "null",
        #"{"messages": 1e999}"#
    ])
    func malformedJSONIsAnInvalidRequest(body: String) {
        let error = error(body)
        #expect(error?.status == .badRequest)
        #expect(error?.param == nil || error?.param == "messages")
    }

    @Test func invalidUTF8AndDeepNestingAreRefusedQuickly() {
        var bytes = Data(#"{"messages": [{"role": "user", "content": "a"#.utf8)
        bytes.append(contentsOf: [0xFF, 0xFE, 0xC3])
        bytes.append(contentsOf: Data(#""}]}"#.utf8))
        #expect(throws: ServerError.self) { try ChatCompletionRequest.parse(bytes) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ServerError.self) { try ChatCompletionRequest.parse(Data(deep.utf8)) }
        let deepObject =
            #"{"messages": [{"role": "user", "content": "x"}], "metadata": "#
            + String(repeating: #"{"a":"#, count: 50_000)
            + "1" + String(repeating: "}", count: 50_001)
        #expect(throws: ServerError.self) { try ChatCompletionRequest.parse(Data(deepObject.utf8)) }
    }
}
