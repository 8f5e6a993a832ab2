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
        #expect(request.prompts == [.text("Once upon a time")] && request.model == "m" && !request.echo)
        #expect(request.stream && request.includeUsage)
        #expect(p.temperature == 0.5 && p.topP == 0.9 && p.stop == ["\n"] && p.n == 2 && p.seed == 9)
        #expect(p.logprobs && p.topLogprobs == 3 && p.presencePenalty == 0.5)
        #expect(p.maxTokens == TextCompletionRequest.defaultMaxTokens)
        #expect(request.prompted == [.text("Once upon a time", parseSpecial: true, parameters: p)])
        #expect(try parse(#"{"prompt": "x", "max_tokens": 100, "echo": true}"#).parameters.maxTokens == 100)
        #expect(try parse(#"{"prompt": "x", "logprobs": 0}"#).parameters.topLogprobs == 0)
        #expect(try parse(#"{"prompt": "", "suffix": ""}"#).prompts == [.text("")])
        #expect(!p.promptLogprobs)
    }

    /// `echo` with `logprobs` scores the prompt's own tokens, and may then ask for no tokens at
    /// all (`max_tokens` 0: the prompt's cross-entropy alone, as evaluation tools ask).
    @Test func echoWithLogprobsScoresThePrompt() throws {
        let scored = try parse(#"{"prompt": "x", "echo": true, "logprobs": 0, "max_tokens": 0}"#)
        #expect(scored.echo && scored.parameters.promptLogprobs && scored.parameters.logprobs)
        #expect(scored.parameters.maxTokens == 0)
        #expect(try !parse(#"{"prompt": "x", "echo": true}"#).parameters.promptLogprobs)
        #expect(try !parse(#"{"prompt": "x", "logprobs": 2}"#).parameters.promptLogprobs)
    }

    /// The prompt's tokens come before the answer's: the first with null `token_logprobs` and
    /// `top_logprobs`, offsets from 0 through the prompt and on into the answer.
    @Test func echoedPromptLogprobsComeFirst() throws {
        let encoding = TextCompletionEncoding(id: "cmpl-1", model: "m", created: 7, logprobs: true)
        var completion = Self.answer
        completion.promptLogprobs = PromptLogprobs(
            firstToken: "Say", firstBytes: Array("Say".utf8),
            scored: [
                TokenLogprob(
                    token: ":", bytes: [58], logprob: -1.5, topLogprobs: [.init(token: ".", bytes: [], logprob: -0.2)]),
                TokenLogprob(token: " ", bytes: [32], logprob: -0.25)
            ])
        let body = try object(encoding.completion(completion, echo: "Say: "))
        let choice = try #require((body["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == "Say: Hi é")
        let logprobs = try #require(choice["logprobs"] as? [String: Any])
        #expect(logprobs["tokens"] as? [String] == ["Say", ":", " ", "Hi", " é"])
        let values = try #require(logprobs["token_logprobs"] as? [Any])
        #expect(values.first is NSNull)
        #expect(values.dropFirst().compactMap { $0 as? Double } == [-1.5, -0.25, -0.5, -2])
        #expect(logprobs["text_offset"] as? [Int] == [0, 3, 4, 5, 7])
        let top = try #require(logprobs["top_logprobs"] as? [Any])
        #expect(top.first is NSNull)
        #expect(top.dropFirst().compactMap { $0 as? [String: Double] }.first == [".": -0.2, ":": -1.5])
        // Not echoed: the prompt's scores stay out, as its text does.
        let plain = try object(encoding.completion(completion, echo: nil))
        let plainChoice = try #require((plain["choices"] as? [[String: Any]])?.first)
        #expect((plainChoice["logprobs"] as? [String: Any])?["tokens"] as? [String] == ["Hi", " é"])

        // Streamed: the echo waits for the scores and carries them.
        var encoder = TextStreamEncoder(encoding: encoding, choices: 1, echo: "Say: ", includeUsage: false)
        #expect(encoder.opening().isEmpty)
        let prompt = try #require(completion.promptLogprobs)
        let events = encoder.promptScored(prompt)
        #expect(events.count == 1)
        let first = try #require(events.first)
        let chunk = String(buffer: first)
        #expect(chunk.contains(#""text":"Say: ""#) && chunk.contains(#""token_logprobs":[null,-1.5,-0.25]"#))
        let next = encoder.delta(AnswerDelta(choice: 0, text: "Hi", logprobs: [Self.tokens[0]]))
        #expect(next.map { String(buffer: $0).contains(#""text_offset":[5]"#) } == true)
    }

    /// Token ids, bare or as the one prompt of a list (lm-eval's `local-completions` sends
    /// `[[ids]]`), are continued as given; their echo is the tokenizer's text of them.
    @Test func acceptsTokenIdPrompts() throws {
        let bare = try parse(#"{"prompt": [1, 2, 49151], "echo": true, "logprobs": 1, "max_tokens": 0}"#)
        #expect(bare.prompts == [.tokens([1, 2, 49151])] && bare.parameters.promptLogprobs)
        #expect(bare.prompted == [.tokens([1, 2, 49151], parameters: bare.parameters)])
        #expect(try parse(#"{"prompt": [[7, 8.0]]}"#).prompts == [.tokens([7, 8])])
        func endpoint(_ configuration: ParleyServer.Configuration) -> CompletionEndpoint {
            CompletionEndpoint(
                scheduler: SerialScheduler(engine: StepEngine(tokens: 1), queueCapacity: 1),
                metrics: ServerMetrics(), configuration: configuration)
        }
        let reading = endpoint(.init(modelID: "m", promptText: { $0.map { "<\($0)>" }.joined() }))
        #expect(try reading.echoText(.tokens([1, 2])) == "<1><2>")
        #expect(try reading.echoText(.text("x")) == "x")
        #expect(throws: ServerError.self) { try endpoint(.init(modelID: "m")).echoText(.tokens([1])) }
    }

    /// A list of prompts (evaluation tools batch them so): strings and token-id arrays, each a
    /// prompt of its own, in order; a number beside them says what a token-id prompt is.
    @Test func acceptsAListOfPrompts() throws {
        let listed = try parse(#"{"prompt": ["a", [1, 2], "b"], "n": 2}"#)
        #expect(listed.prompts == [.text("a"), .tokens([1, 2]), .text("b")])
        #expect(
            listed.prompted == [
                .text("a", parseSpecial: true, parameters: listed.parameters),
                .tokens([1, 2], parameters: listed.parameters),
                .text("b", parseSpecial: true, parameters: listed.parameters)
            ])
        let most = TextCompletionRequest.maximumPrompts
        func listing(_ count: Int) -> String {
            #"{"prompt": ["# + Array(repeating: #""x""#, count: count).joined(separator: ",") + "]}"
        }
        #expect(try parse(listing(most)).prompts.count == most)
        let tooMany = refusal(listing(most + 1))
        #expect(tooMany?.param == "prompt" && tooMany?.description.contains("\(most + 1) prompts") == true)
        let mixed = refusal(#"{"prompt": [1, "a"]}"#)
        #expect(mixed?.description.hasPrefix("prompt[0] is a number beside other kinds of item") == true)
    }

    /// Several answers in one object: prompt i's choice j is choice i·n + j, each after its own
    /// echo, and the usage sums theirs.
    @Test func severalAnswersShareOneObject() throws {
        let encoding = TextCompletionEncoding(id: "cmpl-1", model: "m", created: 7, logprobs: false)
        var second = Self.answer
        second.choices = [
            .init(index: 0, text: "A", reason: .stop, completionTokens: 1),
            .init(index: 1, text: "B", reason: .length, completionTokens: 1)
        ]
        second.usage = Usage(promptTokens: 5, completionTokens: 2, cachedTokens: 0)
        var first = second
        first.choices = [.init(index: 1, text: "Y", reason: .stop, completionTokens: 1), second.choices[0]]
        let body = try object(encoding.completion([(first, "p: "), (second, "q: ")], choicesEach: 2))
        let choices = try #require(body["choices"] as? [[String: Any]])
        #expect(choices.compactMap { $0["index"] as? Int } == [1, 0, 2, 3])
        #expect(choices.compactMap { $0["text"] as? String } == ["p: Y", "p: A", "q: A", "q: B"])
        let usage = try #require(body["usage"] as? [String: Any])
        #expect(usage["prompt_tokens"] as? Int == 10 && usage["completion_tokens"] as? Int == 4)
    }

    @Test func refusesWhatItCannotDoByName() {
        let cases: [(String, String)] = [
            (#"{"prompt": "x", "suffix": "end"}"#, "suffix"),
            (#"{"prompt": ["a", 5]}"#, "prompt"),
            (#"{"prompt": ["a", [1, 49152]]}"#, "prompt"),
            (#"{"prompt": ["a", null]}"#, "prompt"),
            (#"{"prompt": []}"#, "prompt"),
            (#"{"prompt": [[]]}"#, "prompt"),
            (#"{"prompt": [1, -2]}"#, "prompt"),
            (#"{"prompt": [49152]}"#, "prompt"),
            (#"{"prompt": [[1, 2.5]]}"#, "prompt"),
            (#"{"prompt": [[1, "a"]]}"#, "prompt"),
            (#"{"prompt": [1, "a"]}"#, "prompt"),
            (#"{"prompt": [true]}"#, "prompt"),
            (#"{"prompt": 5}"#, "prompt"),
            (#"{"temperature": 1}"#, "prompt"),
            (#"{"prompt": "x", "logprobs": 21}"#, "logprobs"),
            (#"{"prompt": "x", "logprobs": true}"#, "logprobs"),
            (#"{"prompt": "x", "echo": true, "max_tokens": 0}"#, "max_tokens"),
            (#"{"prompt": "x", "logprobs": 1, "max_tokens": 0}"#, "max_tokens"),
            (#"{"prompt": "x", "echo": true, "logprobs": 1, "max_tokens": -1}"#, "max_tokens"),
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

    /// An answer of `tokens` to a 3-token prompt, one of whose tokens was cached.
    static let answer = Completion(
        choices: [.init(index: 0, text: "Hi é", reason: .length, completionTokens: 2, logprobs: tokens)],
        usage: Usage(promptTokens: 3, completionTokens: 2, cachedTokens: 1),
        timings: Timings(prefillTokensPerSecond: 1, decodeTokensPerSecond: 1), seed: 4)

    @Test func completionObjectHasTheLegacyShape() throws {
        let encoding = TextCompletionEncoding(id: "cmpl-1", model: "m", created: 7, logprobs: true)
        let completion = Self.answer
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

    /// The second of two prompts' answers in one stream (n = 2): its choices are 2 and 3, and
    /// the usage waits for the stream's end.
    @Test func aLaterPromptsChoicesFollowTheEarlierOnes() {
        let encoding = TextCompletionEncoding(id: "cmpl-1", model: "m", created: 7, logprobs: false)
        var encoder = TextStreamEncoder(
            encoding: encoding, choices: 2, echo: "q", includeUsage: true, firstChoice: 2, usageChunk: false)
        let opening = encoder.opening().map { String(buffer: $0) }
        #expect(opening.count == 2 && opening[0].contains(#""index":2"#) && opening[1].contains(#""index":3"#))
        let delta = encoder.delta(AnswerDelta(choice: 1, text: "Hi"))
        #expect(delta.map { String(buffer: $0).contains(#""index":3"#) } == true)
        let finish = encoder.finished(Self.answer).map { String(buffer: $0) }
        #expect(
            finish.count == 1 && finish[0].contains(#""index":2"#) && finish[0].contains(#""finish_reason":"length""#))
    }

    @Test func theSchedulerPassesATokenPromptToTheEngineUnchanged() async throws {
        let engine = StepEngine(tokens: 1)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 1)
        let ticket = try scheduler.submit(.tokens([5, 6], parameters: .defaults))
        engine.drain()
        for await _ in ticket.events {}
        #expect(engine.prompts == [.tokens([5, 6], parameters: .defaults)])
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
