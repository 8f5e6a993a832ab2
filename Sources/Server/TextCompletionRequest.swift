import Chat
import Foundation

/// A `POST /v1/completions` body (OpenAI's legacy Completions API, which base models and
/// evaluation tools use), checked field by field.
///
/// The prompt is continued as written, with no chat template; special-token text in it is read
/// as those tokens, as llama.cpp's server and vLLM read it. The sampling fields are the chat
/// endpoint's (`RequestFields.samplingParameters`), except that `logprobs` is a count of
/// alternatives and `max_tokens` defaults to the API's 16. What Parley cannot do is refused by
/// name: several prompts in one request, token-id prompts, `suffix` (insertion) and `best_of`
/// above `n`. `echo` with `logprobs` scores the prompt's own tokens too, and then `max_tokens`
/// may be 0 (the prompt scored alone), as evaluation tools ask for a text's cross-entropy.
public struct TextCompletionRequest: Sendable, Equatable {
    public var model: String?
    public var prompt: String
    public var parameters: SamplingParameters
    /// Return the prompt before each choice's text.
    public var echo: Bool
    public var stream: Bool
    /// `stream_options.include_usage`: a last chunk with the usage and no choices.
    public var includeUsage: Bool

    /// The API's `max_tokens` when a request gives none.
    public static let defaultMaxTokens = 16

    public var prompted: CompletionPrompt { .text(prompt, parseSpecial: true, parameters: parameters) }

    public static func parse(
        _ body: Data, contextLength: Int? = nil, vocabularySize: Int? = nil
    ) throws(ServerError) -> TextCompletionRequest {
        try parse(RequestFields.json(body), contextLength: contextLength, vocabularySize: vocabularySize)
    }

    public static func parse(
        _ json: JSONValue, contextLength: Int? = nil, vocabularySize: Int? = nil
    ) throws(ServerError) -> TextCompletionRequest {
        let fields = try RequestFields.object(json)
        let prompt = try self.prompt(fields.present("prompt"))
        if let suffix = fields.present("suffix"), suffix != .string("") {
            throw .unsupported(
                "'suffix' is not supported: Parley continues a prompt, it does not insert", param: "suffix")
        }
        var parameters = try fields.samplingParameters()
        if fields.present("max_tokens") == nil { parameters.maxTokens = defaultMaxTokens }
        if let count = try fields.int("logprobs") {
            guard (0...SamplingParameters.maxTopLogprobs).contains(count) else {
                throw .invalidRequest(
                    "logprobs must be between 0 and \(SamplingParameters.maxTopLogprobs), got \(count)",
                    param: "logprobs")
            }
            parameters.logprobs = true
            parameters.topLogprobs = count
        }
        if let bestOf = try fields.int("best_of"), bestOf != parameters.n && bestOf != 1 {
            throw .unsupported(
                "best_of \(bestOf) is not supported: Parley returns every alternative it draws (use n)",
                param: "best_of")
        }
        let echo = try fields.bool("echo") ?? false
        // The prompt's own tokens scored: a text's cross-entropy, alone with max_tokens 0.
        parameters.promptLogprobs = echo && parameters.logprobs
        do { try parameters.validate(contextLength: contextLength, vocabularySize: vocabularySize) } catch {
            throw .parameter(error)
        }
        let (model, stream, includeUsage) = try fields.modelAndStreaming()
        return TextCompletionRequest(
            model: model, prompt: prompt, parameters: parameters, echo: echo, stream: stream,
            includeUsage: includeUsage)
    }

    /// The one text prompt: a string, or an array holding one string.
    private static func prompt(_ value: JSONValue?) throws(ServerError) -> String {
        switch value {
        case .string(let text)?:
            return text
        case .array(let items)? where items.count == 1:
            if case .string(let text) = items[0] { return text }
            throw .unsupported(
                "prompt[0] must be a string: token-id prompts are not supported, send the text",
                param: "prompt")
        case .array(let items)?:
            if items.allSatisfy({ $0.number != nil }) {
                throw .unsupported("token-id prompts are not supported: send the text", param: "prompt")
            }
            throw .unsupported(
                "\(items.count) prompts in one request are not supported: send one request per prompt",
                param: "prompt")
        case nil:
            throw .invalidRequest("prompt is required", param: "prompt")
        case let other?:
            throw .invalidRequest("prompt must be a string, got \(other.typeName)", param: "prompt")
        }
    }
}
