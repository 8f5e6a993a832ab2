import Chat
import Foundation

/// A `POST /v1/completions` body (OpenAI's legacy Completions API, which base models and
/// evaluation tools use), checked field by field.
///
/// The prompt is continued as written, with no chat template; special-token text in it is read
/// as those tokens, as llama.cpp's server and vLLM read it. The sampling fields are the chat
/// endpoint's (`RequestFields.samplingParameters`), except that `logprobs` is a count of
/// alternatives and `max_tokens` defaults to the API's 16. What Parley cannot do is refused by
/// name: `suffix` (insertion) and `best_of` above `n`. A prompt
/// of token ids (`[1, 2, 3]` or `[[1, 2, 3]]`, as evaluation tools send it) is continued as
/// given, with no BOS added. A list of prompts (`["a", "b"]`, `[[1, 2], [3]]`, as evaluation
/// tools batch them) is answered prompt by prompt in one object or stream. `echo` with
/// `logprobs` scores the prompt's own tokens too, and then `max_tokens` may be 0 (the prompt
/// scored alone), as evaluation tools ask for a text's cross-entropy.
public struct TextCompletionRequest: Sendable, Equatable {
    public var model: String?
    /// The prompts, in order (one, unless the request listed several).
    public var prompts: [Prompt]
    public var parameters: SamplingParameters
    /// Return the prompt before each choice's text.
    public var echo: Bool
    public var stream: Bool
    /// `stream_options.include_usage`: a last chunk with the usage and no choices.
    public var includeUsage: Bool

    /// The API's `max_tokens` when a request gives none.
    public static let defaultMaxTokens = 16
    /// The most prompts one request may list (each also takes a place in the scheduler, whose
    /// slots and queue may hold fewer: the endpoint refuses those lists with a 400 of its own).
    public static let maximumPrompts = 128

    /// The prompt as sent: a text, or token ids.
    public enum Prompt: Sendable, Equatable {
        case text(String)
        case tokens([Int32])
    }

    /// What each prompt asks the engine for, in order.
    public var prompted: [CompletionPrompt] {
        prompts.map { prompt in
            switch prompt {
            case .text(let text): .text(text, parseSpecial: true, parameters: parameters)
            case .tokens(let tokens): .tokens(tokens, parameters: parameters)
            }
        }
    }

    public static func parse(
        _ body: Data, contextLength: Int? = nil, vocabularySize: Int? = nil
    ) throws(ServerError) -> TextCompletionRequest {
        try parse(RequestFields.json(body), contextLength: contextLength, vocabularySize: vocabularySize)
    }

    public static func parse(
        _ json: JSONValue, contextLength: Int? = nil, vocabularySize: Int? = nil
    ) throws(ServerError) -> TextCompletionRequest {
        let fields = try RequestFields.object(json)
        let prompts = try self.prompts(fields.present("prompt"), vocabularySize: vocabularySize)
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
            model: model, prompts: prompts, parameters: parameters, echo: echo, stream: stream,
            includeUsage: includeUsage)
    }

    /// The prompts: a string, token ids, or a list whose items are each a string or token ids.
    private static func prompts(_ value: JSONValue?, vocabularySize: Int?) throws(ServerError) -> [Prompt] {
        switch value {
        case .string(let text)?:
            return [.text(text)]
        case .array(let items)? where items.allSatisfy(\.isNumber):
            // An empty list too: `tokens` refuses it as an empty prompt.
            return [.tokens(try tokens(.array(items), field: "prompt", vocabularySize: vocabularySize))]
        case .array(let items)?:
            guard items.count <= maximumPrompts else {
                throw .invalidRequest(
                    "prompt lists \(items.count) prompts; at most \(maximumPrompts) fit in one request",
                    param: "prompt")
            }
            var prompts: [Prompt] = []
            prompts.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                switch item {
                case .string(let text): prompts.append(.text(text))
                case .array:
                    prompts.append(.tokens(try tokens(item, field: "prompt[\(index)]", vocabularySize: vocabularySize)))
                case _ where item.isNumber:
                    throw .invalidRequest(
                        "prompt[\(index)] is a number beside other kinds of item: a prompt of token ids is an"
                            + " array of integers only, and a list of prompts holds strings or such arrays",
                        param: "prompt")
                default:
                    throw .invalidRequest(
                        "prompt[\(index)] must be a string or an array of token ids, got \(item.typeName)",
                        param: "prompt")
                }
            }
            return prompts
        case nil:
            throw .invalidRequest("prompt is required", param: "prompt")
        case let other?:
            throw .invalidRequest("prompt must be a string, got \(other.typeName)", param: "prompt")
        }
    }

    /// Token ids: a non-empty array of integers, each in the vocabulary when its size is known.
    private static func tokens(_ value: JSONValue, field: String, vocabularySize: Int?) throws(ServerError) -> [Int32] {
        guard case .array(let items) = value, !items.isEmpty else {
            throw .invalidRequest("\(field) is empty: there is nothing to continue", param: "prompt")
        }
        var tokens: [Int32] = []
        tokens.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let id = item.integer else {
                throw .invalidRequest(
                    "\(field)[\(index)] must be a token id (an integer), got \(item.typeName)", param: "prompt")
            }
            let limit = Int64(vocabularySize ?? Int(Int32.max))
            guard id >= 0 && id < limit else {
                let range = vocabularySize.map { " (the model's ids are 0 to \($0 - 1))" } ?? ""
                throw .invalidRequest("\(field)[\(index)] is \(id), not a token id\(range)", param: "prompt")
            }
            tokens.append(Int32(id))
        }
        return tokens
    }
}

extension JSONValue {
    fileprivate var isNumber: Bool { number != nil }
}
