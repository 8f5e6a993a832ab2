import ArgumentParser
import Chat
import Foundation
import LocalChat
import RemoteChat

/// `parley run`: one answer on stdout, for scripts and quick questions.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Answer one prompt (from -p or stdin) and print the answer as it streams.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var endpointOptions: EndpointOptions
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "System prompt (default: the model template's own).") var system: String?
    @Option(name: [.short, .customLong("prompt")], help: "The user message (default: read stdin).") var prompt: String?
    @Option(
        name: [.short, .customLong("file")],
        help: "Attach a text file to the message, under a header with its name (repeatable).")
    var files: [String] = []
    @Option(help: "Save the conversation as a transcript at FILE.") var save: String?
    @Option(name: .customLong("continue"), help: "Add a turn to the transcript at FILE and save it.") var continueFile:
        String?
    @Flag(help: "Print one Chat Completion object instead of streaming text.") var json = false
    @Flag(help: "With --save: replace a conversation already saved at FILE.") var force = false
    @Option(name: .customLong("n"), help: "Alternative answers to generate, 1 to 8 (decoded together).") var choices:
        Int?
    @Flag(help: "Report each answer token's log probability (raw logits, temperature 1; in --json).") var logprobs =
        false
    @Option(name: .customLong("top-logprobs"), help: "Most likely alternatives per token, 0 to 20 (needs --logprobs).")
    var topLogprobs: Int?
    @Flag(help: "Continue the text as it is, without any chat template (base models); --n applies.") var raw = false

    /// How long a transcript another `parley` holds is waited for before giving up.
    static let lockWait: Duration = .seconds(2)

    func validate() throws {
        if save != nil, continueFile != nil { throw ValidationError("--save and --continue cannot be combined") }
        if force, save == nil { throw ValidationError("--force only applies to --save FILE") }
        if raw, save != nil || continueFile != nil || system != nil {
            throw ValidationError(
                "--raw continues a text without roles; it cannot be combined with --save, --continue or --system")
        }
    }

    func run() throws {
        let attachments = try files.map { path throws -> Attachment in
            do throws(ChatError) { return try Attachment.read(path: path) } catch {
                throw RuntimeError(error.description)
            }
        }
        let text = Attachment.compose(typed: try readPrompt(), attachments: attachments)
        if raw { return try runRaw(text) }
        let trap = SignalTrap([SIGTERM, SIGHUP])
        let store = TranscriptStore(directory: TranscriptStore.defaultDirectory())
        var transcript: Transcript
        let target = (continueFile ?? save).map { URL(fileURLWithPath: $0) }
        // Held from loading to saving, so a second `run` on the same file cannot lose this turn.
        var lock: TranscriptLock?
        if let target {
            do { lock = try TranscriptLock.acquire(target, wait: Self.lockWait) } catch {
                throw RuntimeError(error.description)
            }
        }
        defer { withExtendedLifetime(lock) {} }
        if continueFile != nil, let target {
            do { transcript = try store.load(target) } catch { throw RuntimeError(error.description) }
        } else {
            if let save, !force, FileManager.default.fileExists(atPath: save) || Self.isSymlink(save) {
                throw RuntimeError(
                    "\(save) already exists; add a turn to it with --continue \(save), or replace it with --save \(save) --force"
                )
            }
            transcript = Transcript()
            if let defaults = try ConfiguredModels.load().defaultParameters {
                transcript.conversation.parameters = defaults
            }
        }
        if let system { transcript.conversation.systemPrompt = system }
        transcript.conversation.parameters = try alternatives(sampling.apply(to: transcript.conversation.parameters))
        transcript.conversation.messages.append(.user(text))

        let backend = try openBackend(parameters: transcript.conversation.parameters)
        if let signal = trap.signal { throw SignalExit(signal: signal) } // nothing answered yet
        trap.onSignal { backend.session.cancel() }
        let session = backend.session
        if let cache = target.map({ PromptCache.url(for: $0) }) { session.restorePromptCache(from: cache) }
        let escapeControls = isatty(STDOUT_FILENO) != 0
        let (json, streamsText) = (self.json, transcript.conversation.parameters.n == 1)
        let completion = session.respondWaiting(to: transcript.conversation) { event in
            switch event {
            case .delta(let delta) where !json && streamsText:
                let shown = escapeControls ? ControlEscaping.escape(delta.text) : delta.text
                FileHandle.standardOutput.write(Data(shown.utf8))
            case .notice(let message):
                FileHandle.standardError.write(Data("parley: \(message)\n".utf8))
            case .contextTrimmed(let count):
                FileHandle.standardError.write(
                    Data("parley: \(count) oldest messages left out to fit the context window\n".utf8))
            default: break
            }
        }
        let failed = completion.reason == .error || completion.reason == .connectionLost
        if failed && completion.text.isEmpty {
            throw RuntimeError(completion.error ?? "generation failed")
        }
        if completion.reason == .cancelled && completion.text.isEmpty, let signal = trap.signal {
            throw SignalExit(signal: signal)
        }
        let parameters = transcript.conversation.parameters
        transcript.conversation.messages.append(completion.message(parameters: parameters))
        transcript.updated = Date()
        if let reference = backend.reference { transcript.model = reference }
        if transcript.title == "New chat" { transcript.title = Transcript.title(for: transcript.conversation) }
        if let target {
            do { try store.save(transcript, to: target) } catch { throw RuntimeError(error.description) }
            session.savePromptCache(to: PromptCache.url(for: target))
        }
        if json {
            print(ChatCompletionJSON.render(completion, model: backend.name, id: transcript.id))
        } else if completion.choices.count > 1 {
            // Alternatives stream side by side; they are printed one after another at the end.
            for choice in completion.choices {
                print("--- answer \(choice.index + 1) of \(completion.choices.count) ---")
                print(escapeControls ? ControlEscaping.escape(choice.text) : choice.text)
            }
        } else {
            print(completion.reason == .connectionLost ? "\n[connection lost]" : "")
        }
        if failed { throw RuntimeError(completion.error ?? "generation failed") }
        if let signal = trap.signal { throw SignalExit(signal: signal) }
    }

    /// The backend that answers: a remote server with `--endpoint`, else the local GGUF model,
    /// with the parameters checked against the limits only it knows (the rule and message F3
    /// uses; a --max-tokens given on the command line must fit the window, the default is capped).
    func openBackend(parameters: SamplingParameters) throws
        -> (session: any ChatBackend, name: String, reference: Transcript.ModelReference?)
    {
        let config = try ConfiguredModels.load()
        if let remote = try endpointOptions.remoteOptions(model: modelOptions.model, config: config) {
            do {
                let session = try RemoteSession.connect(remote)
                return (session, session.model, nil)
            } catch { throw RuntimeError(error.description) }
        }
        let options: SessionOptions
        do { options = try modelOptions.sessionOptions(fallback: ConfiguredModels.localDefault(config)) } catch let
            error as ChatError
        {
            throw RuntimeError(error.description)
        }
        try ContextLimit.check(options.contextLength, modelPath: options.modelPath)
        let session: ChatSession
        do { session = try ChatSession(options: options) } catch let error as ChatError {
            if case .contextTooLarge = error { throw ValidationError(error.description) }
            throw RuntimeError(error.description)
        }
        do {
            try parameters.validate(
                contextLength: sampling.maxTokens == nil ? nil : session.info.contextLength,
                vocabularySize: session.info.vocabularySize)
        } catch { throw ValidationError(error.description) }
        return (session, session.info.fileName, session.modelReference)
    }

    private static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    /// `parameters` with `--n`, `--logprobs` and `--top-logprobs` applied and validated.
    func alternatives(_ parameters: SamplingParameters) throws -> SamplingParameters {
        var p = parameters
        if let choices { p.n = choices }
        if logprobs { p.logprobs = true }
        if let topLogprobs { p.topLogprobs = topLogprobs }
        do { try p.validate() } catch { throw ValidationError(error.description) }
        return p
    }

    private func readPrompt() throws -> String {
        if let prompt {
            // The same rule as an empty standard input: nothing to answer is a usage error.
            guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("the prompt given with -p is empty")
            }
            return prompt
        }
        if isatty(STDIN_FILENO) != 0 {
            // A file alone is a message: the model is asked about it with nothing more said.
            if !files.isEmpty { return "" }
            throw ValidationError("give a prompt with -p TEXT or on standard input")
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || !files.isEmpty else { throw ValidationError("the prompt on standard input is empty") }
        return text
    }
}

/// The `--json` output: one object shaped like OpenAI's Chat Completion response.
enum ChatCompletionJSON {
    static func render(_ completion: Completion, model: String, id: String) -> String {
        let object: [String: Any] = [
            "id": "chatcmpl-\(id)",
            "object": "chat.completion",
            "created": Int(Date().timeIntervalSince1970),
            "model": model,
            "seed": completion.seed,
            "choices": completion.choices.map(choice),
            "usage": [
                "prompt_tokens": completion.usage.promptTokens,
                "completion_tokens": completion.usage.completionTokens,
                "total_tokens": completion.usage.totalTokens,
                "prompt_tokens_details": ["cached_tokens": completion.usage.cachedTokens]
            ] as [String: Any],
            "timings": timings(completion.timings)
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Speeds, and the speculative drafts with their acceptance rate when any were made.
    private static func timings(_ timings: Timings) -> [String: Any] {
        var object: [String: Any] = [
            "prefill_tokens_per_second": timings.prefillTokensPerSecond,
            "decode_tokens_per_second": timings.decodeTokensPerSecond
        ]
        if let drafted = timings.draftedTokens, let accepted = timings.acceptedDraftTokens {
            object["drafted_tokens"] = drafted
            object["accepted_draft_tokens"] = accepted
            object["draft_acceptance_rate"] = timings.draftAcceptanceRate ?? 0
        }
        return object
    }

    /// One `choices[i]`: OpenAI's fields, plus `parley` with the answer's cross-entropy (mean
    /// negative log-likelihood of its tokens under the raw logits, nats) and perplexity.
    private static func choice(_ choice: Completion.Choice) -> [String: Any] {
        var object: [String: Any] = [
            "index": choice.index,
            "message": ["role": "assistant", "content": choice.text],
            "finish_reason": choice.reason.rawValue,
            "logprobs": choice.logprobs.map { ["content": $0.map(token)] as [String: Any] } ?? NSNull()
        ]
        var parley: [String: Any] = ["completion_tokens": choice.completionTokens]
        if let crossEntropy = choice.crossEntropy, let perplexity = choice.perplexity {
            parley["cross_entropy"] = crossEntropy
            parley["perplexity"] = perplexity
        }
        object["parley"] = parley
        return object
    }

    private static func token(_ token: TokenLogprob) -> [String: Any] {
        [
            "token": token.token, "logprob": token.logprob, "bytes": token.bytes.map(Int.init),
            "top_logprobs": token.topLogprobs.map {
                ["token": $0.token, "logprob": $0.logprob, "bytes": $0.bytes.map(Int.init)] as [String: Any]
            }
        ]
    }
}
