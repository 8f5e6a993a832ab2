import Chat
import Foundation

/// `text_completion` objects and stream chunks of the legacy Completions API, in OpenAI's field
/// order, with its `logprobs` shape: parallel `tokens`, `token_logprobs`, `top_logprobs` (token
/// to log probability) and `text_offset` lists.
struct TextCompletionEncoding: Sendable {
    var id: String
    var model: String
    var created: Int
    var logprobs: Bool

    /// The whole non-streamed object; `echo` (the prompt) comes before each choice's text, and
    /// with `logprobs` the prompt's own scored tokens before the choice's.
    func completion(_ completion: Completion, echo: String?) -> JSONValue {
        self.completion([(completion, echo)], choicesEach: completion.choices.count)
    }

    /// One object answering several prompts in order: prompt i's choice j is choice
    /// `i·choicesEach + j` (`choicesEach`: the request's `n`), each with its own prompt's echo,
    /// and the usage is their sum.
    func completion(_ answers: [(completion: Completion, echo: String?)], choicesEach: Int) -> JSONValue {
        var choices: [JSONValue] = []
        for (i, (completion, echo)) in answers.enumerated() {
            let prefix = echo ?? ""
            let prompt = echo == nil ? nil : completion.promptLogprobs
            for choice in completion.choices {
                choices.append(
                    choiceObject(
                        index: i * choicesEach + choice.index, text: prefix + choice.text,
                        logprobs: logprobs
                            ? Self.logprobs(choice.logprobs ?? [], offset: Self.length(prefix), prompt: prompt).json
                            : .null,
                        finishReason: choice.reason))
            }
        }
        let usage = Usage(summing: answers.map(\.completion.usage))
        return .object(header + [("choices", .array(choices)), ("usage", CompletionEncoding.usage(usage))])
    }

    /// A chunk with one choice's new text (and its tokens' logprobs as a JSON value, or null).
    func chunk(
        choice: Int, text: String, logprobs: JSONValue = .null, finishReason: Chat.FinishReason? = nil,
        withUsageField: Bool
    ) -> JSONValue {
        var fields = header
        fields.append(
            (
                "choices",
                .array([choiceObject(index: choice, text: text, logprobs: logprobs, finishReason: finishReason)])
            ))
        if withUsageField { fields.append(("usage", .null)) }
        return .object(fields)
    }

    /// The last chunk of `stream_options.include_usage`: no choices, the whole usage.
    func usageChunk(_ usage: Usage) -> JSONValue {
        .object(header + [("choices", .array([])), ("usage", CompletionEncoding.usage(usage))])
    }

    private var header: [(String, JSONValue)] {
        [
            ("id", .string(id)), ("object", "text_completion"), ("created", .int(Int64(created))),
            ("model", .string(model)), ("system_fingerprint", .null)
        ]
    }

    private func choiceObject(index: Int, text: String, logprobs: JSONValue, finishReason: Chat.FinishReason?)
        -> JSONValue
    {
        .object([
            ("text", .string(text)), ("index", .int(Int64(index))), ("logprobs", logprobs),
            ("finish_reason", finishReason.map { .string(CompletionEncoding.finishReason($0)) } ?? .null)
        ])
    }

    /// The legacy `logprobs` object for `tokens`, the first starting at character `offset` of
    /// the choice's text; also returns where the next token would start. Each `top_logprobs`
    /// entry holds the alternatives asked for and, as OpenAI's does, the chosen token too.
    /// `prompt` (an echoed prompt's own tokens, from character 0) comes first, its first token
    /// with null `token_logprobs` and `top_logprobs`, as nothing before it predicts it.
    static func logprobs(_ tokens: [TokenLogprob], offset: Int, prompt: PromptLogprobs? = nil) -> (
        json: JSONValue, end: Int
    ) {
        var (texts, logprobs, tops, offsets) = ([JSONValue](), [JSONValue](), [JSONValue](), [JSONValue]())
        func list(_ tokens: [TokenLogprob], from start: Int) -> Int {
            var position = start
            for token in tokens {
                texts.append(.string(token.token))
                logprobs.append(.double(token.logprob))
                tops.append(top(token))
                offsets.append(.int(Int64(position)))
                position += length(token.token)
            }
            return position
        }
        if let prompt {
            (texts, logprobs, tops, offsets) = ([.string(prompt.firstToken)], [.null], [.null], [.int(0)])
            _ = list(prompt.scored, from: length(prompt.firstToken))
        }
        let end = list(tokens, from: offset)
        let json: JSONValue = .object([
            ("tokens", .array(texts)), ("token_logprobs", .array(logprobs)), ("top_logprobs", .array(tops)),
            ("text_offset", .array(offsets))
        ])
        return (json, end)
    }

    /// One token's `top_logprobs` entry: the alternatives asked for, then the token itself when
    /// they did not include it.
    private static func top(_ token: TokenLogprob) -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        var seen = Set<String>()
        for alternative in token.topLogprobs where seen.insert(alternative.token).inserted {
            pairs.append((alternative.token, .double(alternative.logprob)))
        }
        if seen.insert(token.token).inserted { pairs.append((token.token, .double(token.logprob))) }
        return .object(pairs)
    }

    /// A text's length as `text_offset` counts it: Unicode scalars (Python's `len`).
    static func length(_ text: String) -> Int { text.unicodeScalars.count }
}

extension Usage {
    /// The usage of several answers reported as one (a request that listed several prompts).
    init(summing usages: [Usage]) {
        self.init(
            promptTokens: usages.reduce(0) { $0 + $1.promptTokens },
            completionTokens: usages.reduce(0) { $0 + $1.completionTokens },
            cachedTokens: usages.reduce(0) { $0 + $1.cachedTokens })
    }
}
