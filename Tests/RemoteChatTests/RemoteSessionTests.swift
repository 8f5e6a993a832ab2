import Chat
import Foundation
import TestSupport
import Testing

@testable import RemoteChat

/// `RemoteSession` against `Scripts/fault_server.py` on loopback: streaming, parameters, and
/// every fault of issue #14 item 3 as a value with its message and the text received so far.
@Suite(.requires([FaultServer.requirement]), .serialized)
struct RemoteSessionTests {
    let server: FaultServer

    init() throws { server = try FaultServer() }

    private func session(
        _ fault: String, model: String? = "fault-model", stall: Duration = .seconds(60),
        environment: [String: String] = [:]
    ) throws -> RemoteSession {
        let endpoint = try RemoteEndpoint(url: server.baseURL(fault), environment: environment)
        return try RemoteSession.connect(
            RemoteOptions(
                endpoint: endpoint, model: model, stallTimeout: stall,
                connectTimeout: .seconds(5)))
    }

    /// Sends one question and waits for its `.finished` without blocking a thread of the
    /// concurrency pool (the session's streaming task needs one).
    private func ask(
        _ session: RemoteSession, _ parameters: SamplingParameters = .defaults,
        onDelta: @escaping @Sendable (RemoteSession) -> Void = { _ in }
    ) async -> (Completion, [ChatEvent]) {
        let events = EventLog()
        let conversation = Conversation(systemPrompt: "Be brief.", messages: [.user("Hi")], parameters: parameters)
        let completion = await withCheckedContinuation { (continuation: CheckedContinuation<Completion, Never>) in
            session.send(conversation, seed: 9) { event in
                events.append(event)
                if case .delta = event { onDelta(session) }
                if case .finished(let completion) = event { continuation.resume(returning: completion) }
            }
        }
        session.shutDown()
        return (completion, events.all)
    }

    /// Continues a text through the legacy `POST /completions` and waits for its `.finished`.
    private func continueText(
        _ session: RemoteSession, _ text: String, _ parameters: SamplingParameters = .defaults, tokens: [Int32]? = nil
    ) async -> Completion {
        let prompt: CompletionPrompt =
            tokens.map { .tokens($0, parameters: parameters) }
            ?? .text(text, parseSpecial: false, parameters: parameters)
        let completion = await withCheckedContinuation { (continuation: CheckedContinuation<Completion, Never>) in
            session.send(prompt, seed: 9) { event in
                if case .finished(let completion) = event { continuation.resume(returning: completion) }
            }
        }
        session.shutDown()
        return completion
    }

    @Test func aTextIsContinuedThroughTheLegacyCompletionsAPI() async throws {
        let plain = await continueText(try session("ok"), "Once upon")
        #expect(plain.text == "Hello world" && plain.reason == .stop)
        #expect(plain.usage == Usage(promptTokens: 5, completionTokens: 2, cachedTokens: 0))
        var p = SamplingParameters()
        p.maxTokens = 33
        p.logprobs = true
        p.topLogprobs = 3
        let echoed = await continueText(try session("echo"), "Once upon", p)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(echoed.text.utf8)) as? [String: Any])
        #expect((sent["_path"] as? String)?.hasSuffix("/v1/completions") == true)
        #expect(sent["prompt"] as? String == "Once upon" && sent["messages"] == nil)
        // The legacy API counts alternatives in `logprobs`; there is no `top_logprobs`.
        #expect(sent["logprobs"] as? Int == 3 && sent["top_logprobs"] == nil)
        #expect(sent["max_tokens"] as? Int == 33 && sent["seed"] as? Int == 9 && sent["top_k"] != nil)
        // Token ids go as the prompt's array, to the same API.
        let ids = await continueText(try session("echo"), "", p, tokens: [1, 2, 49151])
        let sentIds = try #require(try JSONSerialization.jsonObject(with: Data(ids.text.utf8)) as? [String: Any])
        #expect((sentIds["_path"] as? String)?.hasSuffix("/v1/completions") == true)
        #expect(sentIds["prompt"] as? [Int] == [1, 2, 49151] && sentIds["logprobs"] as? Int == 3)
        let missing = await continueText(try session("404"), "Once upon")
        #expect(
            missing.error?.contains("has no model 'fault-model' or no Completion (POST /completions) API at this URL")
                == true, "\(missing.error ?? "")")
        let scored = await continueText(try session("logprobs"), "Once upon", p)
        let token = try #require(scored.choices.first?.logprobs?.first)
        #expect(scored.text == "Hi" && token.token == "Hi" && token.bytes == [72, 105] && token.logprob == -0.25)
        #expect(token.topLogprobs.map(\.token) == ["Hi", "Yo"] && token.topLogprobs.map(\.logprob) == [-0.25, -1.5])
    }

    @Test func streamsTheAnswerWithUsageAndTheBackend() async throws {
        let (completion, events) = await ask(try session("ok"))
        #expect(completion.text == "Hello world" && completion.reason == .stop)
        #expect(completion.usage == Usage(promptTokens: 5, completionTokens: 2, cachedTokens: 0))
        #expect(completion.backend == .remote(host: "127.0.0.1:\(server.port)", model: "fault-model"))
        let deltas = events.compactMap { if case .delta(let d) = $0 { d.text } else { nil } }
        #expect(deltas == ["Hello", " world"])
        #expect(completion.message(parameters: .defaults).record?.backend?.kind == "remote")
    }

    @Test func theContextComesFromTheListInEachServersDialect() async throws {
        // llama-server's `meta.n_ctx` (not `n_ctx_train`) for the first listed model; the
        // parsing of vLLM's `max_model_len` is ModelListTests'. A named model is not looked up.
        #expect(try session("ok", model: nil).contextLength == 2048)
        #expect(try session("ok", model: "other").contextLength == nil)
    }

    /// A named model's context is asked for after connecting (the app's loader thread does it),
    /// in either dialect; nil for a model the server does not list or a server that refuses.
    @Test func aNamedModelsContextIsLookedUpOnRequest() async throws {
        let llamaServer = try session("ok", model: "fault-model")
        let vllm = try session("ok", model: "other")
        let unlisted = try session("ok", model: "missing")
        let failing = try session("401", model: "fault-model")
        #expect(try await offPool { llamaServer.lookUpContextLength() } == 2048)
        #expect(try await offPool { vllm.lookUpContextLength() } == 4096)
        #expect(try await offPool { unlisted.lookUpContextLength() } == nil)
        #expect(try await offPool { failing.lookUpContextLength() } == nil)
        for s in [llamaServer, vllm, unlisted, failing] { s.shutDown() }
    }

    @Test func withoutAModelTheFirstListedIsUsed() async throws {
        #expect(try session("ok", model: nil).model == "fault-model")
        #expect(throws: RemoteError.noModels(host: "127.0.0.1:\(server.port)", reason: "/models is empty")) {
            _ = try session("nomodels", model: nil)
        }
    }

    @Test func parametersAndLocalSamplersPassThroughAndTheKeyOnlyInItsHeader() async throws {
        var p = SamplingParameters()
        p.temperature = 0.3
        p.topP = 0.9
        p.maxTokens = 77
        p.stop = ["END"]
        p.topK = 12
        p.minP = 0.1
        p.repeatPenalty = 1.2
        p.presencePenalty = 0.5
        p.logprobs = true
        p.topLogprobs = 3
        let (completion, _) = await ask(try session("echo", environment: ["PARLEY_API_KEY": "sk-secret-123"]), p)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(completion.text.utf8)) as? [String: Any])
        #expect(sent["temperature"] as? Double == 0.3 && sent["top_p"] as? Double == 0.9)
        #expect(sent["max_tokens"] as? Int == 77 && sent["stop"] as? [String] == ["END"] && sent["seed"] as? Int == 9)
        #expect(sent["top_k"] as? Int == 12 && sent["min_p"] as? Double == 0.1)
        #expect(sent["repeat_penalty"] as? Double == 1.2 && sent["repetition_penalty"] as? Double == 1.2)
        #expect(sent["presence_penalty"] as? Double == 0.5 && sent["n"] as? Int == 1)
        #expect(sent["logprobs"] as? Bool == true && sent["top_logprobs"] as? Int == 3)
        #expect(sent["stream"] as? Bool == true)
        #expect((sent["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        let messages = try #require(sent["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi"]])
        #expect(sent["_had_authorization"] as? Bool == true)
        #expect(!completion.text.contains("sk-secret-123"))
    }

    @Test func alternativesAndLogprobsArriveAsTheLocalEngineReportsThem() async throws {
        var p = SamplingParameters()
        p.n = 2
        let (two, _) = await ask(try session("n2"), p)
        #expect(two.choices.map(\.text) == ["A", "B"] && two.choices.map(\.reason) == [.stop, .length])
        var q = SamplingParameters()
        q.logprobs = true
        q.topLogprobs = 2
        let (scored, _) = await ask(try session("logprobs"), q)
        let token = try #require(scored.choices.first?.logprobs?.first)
        #expect(token.token == "Hi" && token.bytes == [72, 105] && token.logprob == -0.25)
        #expect(token.topLogprobs.map(\.token) == ["Hi", "Yo"])
    }

    @Test(arguments: [
        ("401", "refused the API key (401): Invalid API key; set PARLEY_API_KEY or use --api-key-env VAR"),
        ("404", "has no model 'fault-model' or no Chat Completion API at this URL (404): The model 'x' does not exist"),
        ("429", "rate limited by 127.0.0.1:PORT (429): Rate limit reached; retry after 7 s"),
        ("500", "failed with server error 500: Internal error"),
        ("malformed", "malformed stream from the server: a chunk is not Chat Completion JSON: {not json"),
        ("cutearly", "connection to 127.0.0.1:PORT lost mid-answer")
    ])
    func httpAndStreamFaultsEndAsErrorsWithTheirMessage(fault: String, message: String) async throws {
        let (completion, _) = await ask(try session(fault))
        #expect(completion.reason == .error)
        let expected = message.replacingOccurrences(of: "PORT", with: String(server.port))
        #expect(completion.error?.hasSuffix(expected) == true, "\(completion.error ?? "nil")")
        // Only what arrived: the malformed stream had sent "Hello" before its bad chunk.
        #expect(completion.text == (fault == "malformed" ? "Hello" : ""))
    }

    @Test func aCutStreamKeepsItsTextAsConnectionLost() async throws {
        let (completion, _) = await ask(try session("cut"))
        #expect(completion.text == "Hello" && completion.reason == .connectionLost)
        #expect(completion.error == "connection to 127.0.0.1:\(server.port) lost mid-answer")
        #expect(completion.message(parameters: .defaults).record?.finishReason == .connectionLost)
    }

    @Test func aStalledStreamIsClosedAfterTheTimeout() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let (completion, _) = await ask(try session("stall", stall: .seconds(1)))
        #expect(clock.now - start < .seconds(10))
        #expect(completion.text == "Hello" && completion.reason == .connectionLost)
        #expect(completion.error == "127.0.0.1:\(server.port) sent nothing for 1 s; the request was closed")
    }

    @Test func cancelClosesTheRequestAndKeepsTheText() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let (completion, _) = await ask(try session("stall")) { $0.cancel() }
        #expect(clock.now - start < .seconds(10))
        #expect(completion.text == "Hello" && completion.reason == .cancelled && completion.error == nil)
    }

    @Test func connectionRefusedAndTLSFailuresSayWhatHappened() async throws {
        let closedPort = try FreePort.find()
        let refused = try RemoteEndpoint(url: "http://127.0.0.1:\(closedPort)/v1", environment: [:])
        #expect(throws: RemoteError.connectionRefused(host: "127.0.0.1:\(closedPort)")) {
            _ = try RemoteSession.connect(RemoteOptions(endpoint: refused))
        }
        // TLS spoken to the plain HTTP server: the handshake fails.
        let tls = try RemoteEndpoint(url: "https://127.0.0.1:\(server.port)/ok/v1", environment: [:])
        let (completion, _) = await ask(
            try RemoteSession.connect(RemoteOptions(endpoint: tls, model: "m", connectTimeout: .seconds(5))))
        #expect(completion.reason == .error)
        #expect(
            completion.error?.hasPrefix("TLS failure talking to 127.0.0.1:\(server.port)") == true,
            "\(completion.error ?? "nil")")
    }
}

/// Events collected from the backend's thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ChatEvent] = []
    func append(_ event: ChatEvent) { lock.withLock { events.append(event) } }
    var all: [ChatEvent] { lock.withLock { events } }
}
