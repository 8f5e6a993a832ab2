import Chat
import Foundation
import Hummingbird
import Testing

@testable import Server

/// `POST /v1/completions` below HTTP: the body mapped and refused field by field, the legacy
/// `text_completion` shape read back with Foundation's JSON parser, and text prompts passing
/// through the scheduler unchanged.
@Suite struct TextCompletionTests {
    private func parse(_ body: String) throws(ServerError) -> TextCompletionRequest {
        try TextCompletionRequest.parse(Data(body.utf8), contextLength: 2048, vocabularySize: 49152)
    }

    private func refusal(_ body: String) -> ServerError? {
        do {
            _ = try parse(body)
            return nil
        } catch { return error }
    }

    @Test func mapsThePromptAndTheLegacyFields() throws {
        let request = try parse(
            """
            {"model": "m", "prompt": ["Once upon a time"], "temperature": 0.5, "top_p": 0.9, "stop": ["\\n"],
             "n": 2, "best_of": 2, "logprobs": 3, "seed": 9, "presence_penalty": 0.5, "echo": false,
             "stream": true, "stream_options": {"include_usage": true}, "user": "u", "suffix": null}
            """)
        let p = request.parameters
        #expect(request.prompt == "Once upon a time" && request.model == "m" && !request.echo)
        #expect(request.stream && request.includeUsage)
        #expect(p.temperature == 0.5 && p.topP == 0.9 && p.stop == ["\n"] && p.n == 2 && p.seed == 9)
        #expect(p.logprobs && p.topLogprobs == 3 && p.presencePenalty == 0.5)
        #expect(p.maxTokens == TextCompletionRequest.defaultMaxTokens)
        #expect(request.prompted == .text("Once upon a time", parseSpecial: true, parameters: p))
        #expect(try parse(#"{"prompt": "x", "max_tokens": 100, "echo": true}"#).parameters.maxTokens == 100)
        #expect(try parse(#"{"prompt": "x", "logprobs": 0}"#).parameters.topLogprobs == 0)
        #expect(try parse(#"{"prompt": "", "suffix": ""}"#).prompt == "")
    }

    @Test func refusesWhatItCannotDoByName() {
        let cases: [(String, String)] = [
            (#"{"prompt": "x", "suffix": "end"}"#, "suffix"),
            (#"{"prompt": ["a", "b"]}"#, "prompt"),
            (#"{"prompt": [1, 2, 3]}"#, "prompt"),
            (#"{"prompt": [[1, 2]]}"#, "prompt"),
            (#"{"prompt": 5}"#, "prompt"),
            (#"{"temperature": 1}"#, "prompt"),
            (#"{"prompt": "x", "logprobs": 21}"#, "logprobs"),
            (#"{"prompt": "x", "logprobs": true}"#, "logprobs"),
            (#"{"prompt": "x", "echo": true, "logprobs": 1}"#, "echo"),
            (#"{"prompt": "x", "best_of": 3}"#, "best_of"),
            (#"{"prompt": "x", "temperature": 5}"#, "temperature"),
            (#"{"prompt": "x", "logit_bias": {"49152": 1}}"#, "logit_bias")
        ]
        for (body, param) in cases {
            let error = refusal(body)
            #expect(error?.status == .badRequest && error?.param == param, "\(body): \(String(describing: error))")
        }
        #expect(refusal("[]")?.status == .badRequest)
        #expect(refusal("{")?.status == .badRequest)
    }

    private func object(_ json: JSONValue) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.serialized.utf8)) as? [String: Any])
    }

    static let tokens = [
        TokenLogprob(
            token: "Hi", bytes: Array("Hi".utf8), logprob: -0.5,
            topLogprobs: [.init(token: "Hi", bytes: [], logprob: -0.5), .init(token: "Yo", bytes: [], logprob: -1)]),
        TokenLogprob(
            token: " é", bytes: Array(" é".utf8), logprob: -2,
            topLogprobs: [.init(token: " a", bytes: [], logprob: -0.1)])
    ]

    @Test func completionObjectHasTheLegacyShape() throws {
        let encoding = TextCompletionEncoding(id: "cmpl-1", model: "m", created: 7, logprobs: true)
        let completion = Completion(
            choices: [.init(index: 0, text: "Hi é", reason: .length, completionTokens: 2, logprobs: Self.tokens)],
            usage: Usage(promptTokens: 3, completionTokens: 2, cachedTokens: 1),
            timings: Timings(prefillTokensPerSecond: 1, decodeTokensPerSecond: 1), seed: 4)
        let body = try object(encoding.completion(completion, echo: "Say: "))
        #expect(body["object"] as? String == "text_completion" && body["id"] as? String == "cmpl-1")
        let choice = try #require((body["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == "Say: Hi é" && choice["finish_reason"] as? String == "length")
        let logprobs = try #require(choice["logprobs"] as? [String: Any])
        #expect(logprobs["tokens"] as? [String] == ["Hi", " é"])
        #expect(logprobs["token_logprobs"] as? [Double] == [-0.5, -2])
        // Offsets count characters of the whole text, the echoed prompt included.
        #expect(logprobs["text_offset"] as? [Int] == [5, 7])
        // The alternatives, and the chosen token when it is not among them.
        let top = try #require(logprobs["top_logprobs"] as? [[String: Double]])
        #expect(top == [["Hi": -0.5, "Yo": -1], [" a": -0.1, " é": -2]])
        let usage = try #require(body["usage"] as? [String: Any])
        #expect(usage["total_tokens"] as? Int == 5)
    }

    @Test func streamedOffsetsRunOnPerChoice() throws {
        let encoding = TextCompletionEncoding(id: "cmpl-1", model: "m", created: 7, logprobs: true)
        var encoder = TextStreamEncoder(encoding: encoding, choices: 2, echo: nil, includeUsage: false)
        func offsets(_ buffer: ByteBuffer?) throws -> [Int] {
            let text = try #require(buffer.map { String(buffer: $0) })
            let line = String(text.dropFirst("data: ".count)).trimmingCharacters(in: .whitespacesAndNewlines)
            let chunk = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let choice = try #require((chunk["choices"] as? [[String: Any]])?.first)
            return try #require((choice["logprobs"] as? [String: Any])?["text_offset"] as? [Int])
        }
        #expect(try offsets(encoder.delta(AnswerDelta(choice: 0, text: "Hi é", logprobs: Self.tokens))) == [0, 2])
        #expect(try offsets(encoder.delta(AnswerDelta(choice: 1, text: "Hi", logprobs: [Self.tokens[0]]))) == [0])
        #expect(try offsets(encoder.delta(AnswerDelta(choice: 0, text: "Hi", logprobs: [Self.tokens[0]]))) == [4])
        #expect(encoder.delta(AnswerDelta(choice: 0, text: "")) == nil)
    }

    @Test func theSchedulerPassesATextPromptToTheEngineForEveryAlternative() async throws {
        let engine = StepEngine(tokens: 2)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 1)
        var parameters = SamplingParameters.defaults
        parameters.n = 2
        parameters.seed = 3
        let ticket = try scheduler.submit(.text("Once", parseSpecial: true, parameters: parameters))
        engine.drain()
        for await _ in ticket.events {}
        var single = parameters
        single.n = 1
        #expect(
            engine.prompts == [
                .text("Once", parseSpecial: true, parameters: parameters),
                .text("Once", parseSpecial: true, parameters: single)
            ])
    }
}
