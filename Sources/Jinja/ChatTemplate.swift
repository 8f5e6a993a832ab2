import Foundation

/// A model's chat template (`tokenizer.chat_template`), rendered the way Hugging Face
/// `apply_chat_template` does.
public struct ChatTemplate: Sendable {
    public let template: Template

    public init(source: String) throws(JinjaError) {
        template = try Template(source)
    }

    /// Renders HF-style: `messages`, `tools` (nil leaves it undefined), `add_generation_prompt`,
    /// `bos_token`, `eos_token`, plus `extra` variables (which may override the standard ones).
    /// `shouldStop` cancels a render in progress (see `Template.render`).
    public func render(
        messages: [Value], tools: [Value]?, addGenerationPrompt: Bool, bosToken: String,
        eosToken: String, now: Date? = nil, extra: [String: Value] = [:],
        shouldStop: (@Sendable () -> Bool)? = nil
    ) throws(JinjaError) -> String {
        var context: [String: Value] = [
            "messages": .array(messages),
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken)
        ]
        if let tools { context["tools"] = .array(tools) }
        for (key, value) in extra { context[key] = value }
        return try template.render(context, now: now, shouldStop: shouldStop)
    }
}
