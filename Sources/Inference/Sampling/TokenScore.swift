/// A chosen token's log probability and the most likely tokens at its step.
///
/// The log-softmax of the model's raw logits (temperature 1, before any sampler step), which
/// is what OpenAI's `logprobs` and llama.cpp's `n_probs` report: it describes the model, not
/// the settings of one answer, so the same step scores the same whatever the temperature.
public struct TokenScore: Sendable, Equatable {
    public var token: Int32
    /// Natural log of the token's probability.
    public var logprob: Double
    /// The most likely tokens at this step, most likely first (ties: lower id first).
    public var top: [Alternative]

    public struct Alternative: Sendable, Equatable {
        public var token: Int32
        public var logprob: Double

        public init(token: Int32, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }

    public init(token: Int32, logprob: Double, top: [Alternative] = []) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }
}
