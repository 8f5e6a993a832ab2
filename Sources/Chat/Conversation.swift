/// What a chat is at any moment: a system prompt, the turns so far and the answer parameters.
public struct Conversation: Codable, Sendable, Equatable {
    /// nil leaves the model's template to its own default system prompt, if it has one.
    public var systemPrompt: String?
    /// User and assistant turns, oldest first (the system prompt is kept apart).
    public var messages: [ChatMessage]
    public var parameters: SamplingParameters

    public init(systemPrompt: String? = nil, messages: [ChatMessage] = [], parameters: SamplingParameters = .defaults) {
        self.systemPrompt = systemPrompt
        self.messages = messages
        self.parameters = parameters
    }

    /// The messages handed to the chat template: the system prompt first when set.
    public var templateMessages: [ChatMessage] {
        guard let systemPrompt, !systemPrompt.isEmpty else { return messages }
        return [.system(systemPrompt)] + messages
    }

    enum CodingKeys: String, CodingKey {
        case systemPrompt = "system_prompt"
        case messages, parameters
    }
}
