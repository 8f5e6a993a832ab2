import Chat
import Inference

extension ChatSession: ChatBackend {}

extension Chat.FinishReason {
    /// The conversation's name for how the engine's generation ended.
    init(_ engine: Inference.FinishReason) {
        switch engine {
        case .stop: self = .stop
        case .length: self = .length
        case .cancelled: self = .cancelled
        case .error: self = .error
        }
    }
}

extension SamplingParameters {
    /// The engine's sampler settings for an answer drawn with `seed`.
    public func samplerSettings(seed: UInt64) -> SamplerSettings {
        var bias: [Int32: Float] = [:]
        for (token, value) in logitBias { if let id = Int32(token) { bias[id] = Float(value) } }
        return SamplerSettings(
            temperature: Float(temperature), topK: topK, topP: Float(topP), minP: Float(minP),
            repeatPenalty: Float(repeatPenalty), repeatLastN: repeatLastN,
            presencePenalty: Float(presencePenalty), frequencyPenalty: Float(frequencyPenalty),
            logitBias: bias, seed: seed)
    }
}
