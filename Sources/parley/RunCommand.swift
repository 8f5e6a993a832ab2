import ArgumentParser
import Chat
import Foundation

/// `parley run`: one answer on stdout, for scripts and quick questions.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Answer one prompt (from -p or stdin) and print the answer as it streams.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "System prompt (default: the model template's own).") var system: String?
    @Option(name: [.short, .customLong("prompt")], help: "The user message (default: read stdin).") var prompt: String?
    @Option(help: "Save the conversation as a transcript at FILE.") var save: String?
    @Option(name: .customLong("continue"), help: "Add a turn to the transcript at FILE and save it.") var continueFile: String?
    @Flag(help: "Print one Chat Completion object instead of streaming text.") var json = false
    @Option(name: .customLong("n"), help: "Alternative answers to generate, 1 to 8 (decoded together).") var choices: Int?
    @Flag(help: "Report each answer token's log probability (raw logits, temperature 1; in --json).") var logprobs = false
    @Option(name: .customLong("top-logprobs"), help: "Most likely alternatives per token, 0 to 20 (needs --logprobs).")
    var topLogprobs: Int?

    func validate() throws {
        if save != nil, continueFile != nil { throw ValidationError("--save and --continue cannot be combined") }
    }

    func run() throws {
        let text = try readPrompt()
        let store = TranscriptStore(directory: TranscriptStore.defaultDirectory())
        var transcript: Transcript
        var target: URL?
        if let continueFile {
            let url = URL(fileURLWithPath: continueFile)
            do { transcript = try store.load(url) } catch { throw RuntimeError(error.description) }
            target = url
        } else {
            transcript = Transcript()
            target = save.map { URL(fileURLWithPath: $0) }
        }
        if let system { transcript.conversation.systemPrompt = system }
        transcript.conversation.parameters = try alternatives(sampling.apply(to: transcript.conversation.parameters))
        transcript.conversation.messages.append(.user(text))

        let session: ChatSession
        do { session = try ChatSession(options: try modelOptions.sessionOptions()) } catch let error as ChatError {
            throw RuntimeError(error.description)
        }
        if let cache = target.map({ PromptCache.url(for: $0) }) { session.restorePromptCache(from: cache) }
        let completion = session.respond(to: transcript.conversation) { event in
            switch event {
            case let .delta(delta) where !json && transcript.conversation.parameters.n == 1:
                FileHandle.standardOutput.write(Data(delta.text.utf8))
            case let .notice(message):
                FileHandle.standardError.write(Data("parley: \(message)\n".utf8))
            case let .contextTrimmed(count):
                FileHandle.standardError.write(Data("parley: \(count) oldest messages left out to fit the context window\n".utf8))
            default: break
            }
        }
        if completion.reason == .error && completion.text.isEmpty {
            throw RuntimeError(completion.error ?? "generation failed")
        }
        let parameters = transcript.conversation.parameters
        transcript.conversation.messages.append(completion.message(parameters: parameters))
        transcript.updated = Date()
        transcript.model = session.modelReference
        if transcript.title == "New chat" { transcript.title = Transcript.title(for: transcript.conversation) }
        if let target {
            do { try store.save(transcript, to: target) } catch { throw RuntimeError(error.description) }
            session.savePromptCache(to: PromptCache.url(for: target))
        }
        if json {
            print(ChatCompletionJSON.render(completion, model: session.info.fileName, id: transcript.id))
        } else if completion.choices.count > 1 {
            // Alternatives stream side by side; they are printed one after another at the end.
            for choice in completion.choices {
                print("--- answer \(choice.index + 1) of \(completion.choices.count) ---")
                print(choice.text)
            }
        } else {
            print()
        }
        if completion.reason == .error { throw RuntimeError(completion.error ?? "generation failed") }
    }

    /// `parameters` with `--n`, `--logprobs` and `--top-logprobs` applied and validated.
    private func alternatives(_ parameters: SamplingParameters) throws -> SamplingParameters {
        var p = parameters
        if let choices { p.n = choices }
        if logprobs { p.logprobs = true }
        if let topLogprobs { p.topLogprobs = topLogprobs }
        do { try p.validate() } catch { throw ValidationError(error.description) }
        return p
    }

    private func readPrompt() throws -> String {
        if let prompt { return prompt }
        if isatty(STDIN_FILENO) != 0 {
            throw ValidationError("give a prompt with -p TEXT or on standard input")
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("the prompt on standard input is empty") }
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
                "prompt_tokens_details": ["cached_tokens": completion.usage.cachedTokens],
            ] as [String: Any],
            "timings": [
                "prefill_tokens_per_second": completion.timings.prefillTokensPerSecond,
                "decode_tokens_per_second": completion.timings.decodeTokensPerSecond,
            ],
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// One `choices[i]`: OpenAI's fields, plus `parley` with the answer's cross-entropy (mean
    /// negative log-likelihood of its tokens under the raw logits, nats) and perplexity.
    private static func choice(_ choice: Completion.Choice) -> [String: Any] {
        var object: [String: Any] = [
            "index": choice.index,
            "message": ["role": "assistant", "content": choice.text],
            "finish_reason": choice.reason.rawValue,
            "logprobs": choice.logprobs.map { ["content": $0.map(token)] as [String: Any] } ?? NSNull(),
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
        ["token": token.token, "logprob": token.logprob, "bytes": token.bytes.map(Int.init),
         "top_logprobs": token.topLogprobs.map {
             ["token": $0.token, "logprob": $0.logprob, "bytes": $0.bytes.map(Int.init)] as [String: Any]
         }]
    }
}
