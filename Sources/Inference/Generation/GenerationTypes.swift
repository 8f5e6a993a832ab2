/// What to generate: the full prompt (the generator reuses whatever prefix is already cached).
public struct GenerationRequest: Sendable {
    public var promptTokens: [Int32]
    public var sampler: SamplerSettings
    public var maxTokens: Int
    public var stop: [String]

    public init(promptTokens: [Int32], sampler: SamplerSettings, maxTokens: Int, stop: [String] = []) {
        self.promptTokens = promptTokens
        self.sampler = sampler
        self.maxTokens = maxTokens
        self.stop = stop
    }
}

/// Why generation ended, with Chat Completion's names.
public enum FinishReason: String, Sendable, Codable, Equatable {
    /// An end-of-generation token or a stop string.
    case stop
    /// `maxTokens` reached, or the context is full.
    case length
    case cancelled
    case error
}

/// What a finished generation produced and what it cost.
public struct GenerationOutcome: Sendable, Equatable {
    public var text: String
    public var tokens: [Int32]
    public var finishReason: FinishReason
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Prompt tokens whose keys and values were already cached and were not evaluated again.
    public var cachedPromptTokens: Int
    public var prefillSeconds: Double
    public var decodeSeconds: Double
    /// The error's description when `finishReason == .error`.
    public var errorMessage: String?

    public var evaluatedPromptTokens: Int { promptTokens - cachedPromptTokens }
    public var prefillTokensPerSecond: Double {
        prefillSeconds > 0 ? Double(evaluatedPromptTokens) / prefillSeconds : 0
    }
    public var decodeTokensPerSecond: Double {
        decodeSeconds > 0 ? Double(tokens.count) / decodeSeconds : 0
    }
}
