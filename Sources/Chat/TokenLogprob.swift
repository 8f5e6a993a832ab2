/// One generated token with its log probability and the most likely tokens at that step.
///
/// The numbers are the log-softmax of the model's raw logits (temperature 1, before any
/// truncating sampler such as top-k or top-p), which is what OpenAI's `logprobs` and llama.cpp's
/// `n_probs` report: they describe the model, not the sampler settings of one answer.
public struct TokenLogprob: Codable, Sendable, Equatable {
    /// The token's text; bytes that are not valid UTF-8 on their own show as U+FFFD.
    public var token: String
    /// The token's exact bytes (a multi-byte character may be split across tokens).
    public var bytes: [UInt8]
    /// Natural log of the token's probability.
    public var logprob: Double
    /// The most likely tokens at this step, most likely first (at most `top_logprobs`).
    public var topLogprobs: [Alternative]

    public init(token: String, bytes: [UInt8], logprob: Double, topLogprobs: [Alternative] = []) {
        self.token = token
        self.bytes = bytes
        self.logprob = logprob
        self.topLogprobs = topLogprobs
    }

    /// A token that could have come at this step.
    public struct Alternative: Codable, Sendable, Equatable {
        public var token: String
        public var bytes: [UInt8]
        public var logprob: Double

        public init(token: String, bytes: [UInt8], logprob: Double) {
            self.token = token
            self.bytes = bytes
            self.logprob = logprob
        }
    }

    enum CodingKeys: String, CodingKey {
        case token, bytes, logprob
        case topLogprobs = "top_logprobs"
    }
}

/// New text of one answer while it streams.
public struct AnswerDelta: Sendable, Equatable {
    /// Which of the `n` alternatives this text belongs to (0 when `n == 1`).
    public var choice: Int
    public var text: String
    /// The tokens that produced `text`, when `logprobs` was asked for (else empty). A token whose
    /// text is held back (a partial character, a possible stop string) is reported with the
    /// delta that releases it, so tokens and text stay in step.
    public var logprobs: [TokenLogprob]

    public init(choice: Int = 0, text: String, logprobs: [TokenLogprob] = []) {
        self.choice = choice
        self.text = text
        self.logprobs = logprobs
    }
}

/// A prompt's own tokens with their log probabilities (`SamplingParameters.promptLogprobs`),
/// as the text API's `echo` with `logprobs` lists them before the answer's.
public struct PromptLogprobs: Sendable, Equatable {
    /// The first prompt token's text and bytes. Nothing before it predicts it, so it has no log
    /// probability (OpenAI's null). A BOS the model adds shows as empty text: it is not in the
    /// prompt's text, and the tokens' texts then join to exactly that text.
    public var firstToken: String
    public var firstBytes: [UInt8]
    /// Every later prompt token, scored given the tokens before it.
    public var scored: [TokenLogprob]

    public init(firstToken: String, firstBytes: [UInt8], scored: [TokenLogprob]) {
        self.firstToken = firstToken
        self.firstBytes = firstBytes
        self.scored = scored
    }

    /// Tokens listed, the unscored first one included.
    public var count: Int { scored.count + 1 }

    /// Mean negative log-likelihood of the scored tokens in nats (nil with none): the text's
    /// cross-entropy under the model.
    public var crossEntropy: Double? {
        scored.isEmpty ? nil : -scored.reduce(0) { $0 + $1.logprob } / Double(scored.count)
    }
}
