import Chat
import Foundation
import Jinja

/// Turns messages into the exact prompt text the model was trained on, using the chat template
/// shipped in its GGUF, and never fails: a missing or broken template falls back to ChatML, and
/// a template that rejects the system role gets the system prompt folded into the first user
/// message. Each fallback is reported as a notice so the person knows.
public struct PromptBuilder: Sendable {
    let template: ChatTemplate?
    private let templateError: String?
    public let bosToken: String
    public let eosToken: String

    /// What the person is told when the GGUF has no chat template: most such files are base
    /// (pre-trained, not instruction-tuned) models, which continue text rather than answer.
    public static let noTemplateNotice =
        "the model has no chat template: it is probably a base model, which "
        + "continues text rather than answering (try `parley run --raw`)"

    /// Whether the model ships a chat template (false: probably a base model).
    public var hasTemplate: Bool { template != nil || templateError != nil }

    public init(templateSource: String?, bosToken: String, eosToken: String) {
        self.bosToken = bosToken
        self.eosToken = eosToken
        guard let templateSource else {
            template = nil
            templateError = nil
            return
        }
        do {
            template = try ChatTemplate(source: templateSource)
            templateError = nil
        } catch {
            template = nil
            templateError = String(describing: error)
        }
    }

    /// The rendered prompt and what had to be worked around to get it.
    public struct Rendered: Sendable, Equatable {
        public var text: String
        public var notices: [String]
        /// The template ran out of its work budget or time (`Jinja.Limits`) and ChatML was used:
        /// rendering it again for the same conversation would only waste the same time.
        public var templateHitLimit = false
        /// The text is ChatML (no template, or a template that failed): the answer then ends at
        /// `chatMLEnd`, which a model without ChatML's special tokens writes as plain text.
        public var isChatML = false
    }

    /// Where a ChatML turn ends. A base model continuing a ChatML prompt (Gemma 3 270M) writes
    /// this as text, then invents the next turn; as a stop string it ends the answer there.
    public static let chatMLEnd = "<|im_end|>"

    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true, now: Date? = nil) -> Rendered {
        // Without a stop condition a render cannot be cancelled, so there is always a result.
        render(messages, addGenerationPrompt: addGenerationPrompt, now: now, shouldStop: { false })
            ?? Rendered(
                text: Self.chatML(messages, addGenerationPrompt: addGenerationPrompt), notices: [], isChatML: true)
    }

    /// Renders like `render(_:addGenerationPrompt:now:)`, but a template still running stops
    /// within milliseconds once `shouldStop` returns true, and then there is no prompt (nil).
    public func render(
        _ messages: [ChatMessage], addGenerationPrompt: Bool = true, now: Date? = nil,
        shouldStop: @escaping @Sendable () -> Bool
    ) -> Rendered? {
        guard let template else {
            let reason = templateError.map { "the chat template does not parse (\($0))" } ?? Self.noTemplateNotice
            return Rendered(
                text: Self.chatML(messages, addGenerationPrompt: addGenerationPrompt),
                notices: ["\(reason); using ChatML"], isChatML: true)
        }
        do {
            return Rendered(text: try render(template, messages, addGenerationPrompt, now, shouldStop), notices: [])
        } catch JinjaError.cancelled {
            return nil
        } catch {
            let firstError = String(describing: error)
            if let jinjaError = error as? JinjaError, case .limit = jinjaError {
                // Folding the system prompt would not make a runaway template any cheaper.
                return Rendered(
                    text: Self.chatML(messages, addGenerationPrompt: addGenerationPrompt),
                    notices: ["the chat template failed (\(firstError)); using ChatML"],
                    templateHitLimit: true, isChatML: true)
            }
            if messages.first?.role == .system, let folded = Self.foldSystem(messages) {
                do {
                    let text = try render(template, folded, addGenerationPrompt, now, shouldStop)
                    return Rendered(
                        text: text,
                        notices: [
                            "the chat template rejects the system role (\(firstError)); the system prompt was folded into the first user message"
                        ])
                } catch JinjaError.cancelled {
                    return nil
                } catch {
                    // Neither form renders: ChatML below.
                }
            }
            return Rendered(
                text: Self.chatML(messages, addGenerationPrompt: addGenerationPrompt),
                notices: ["the chat template failed (\(firstError)); using ChatML"], isChatML: true)
        }
    }

    func render(
        _ template: ChatTemplate, _ messages: [ChatMessage], _ addGenerationPrompt: Bool,
        _ now: Date?, _ shouldStop: @escaping @Sendable () -> Bool
    ) throws -> String {
        let values = messages.map(Self.value)
        return try template.render(
            messages: values, tools: nil, addGenerationPrompt: addGenerationPrompt,
            bosToken: bosToken, eosToken: eosToken, now: now, extra: [:],
            shouldStop: shouldStop)
    }

    /// Moves the system prompt to the start of the first user message (Gemma-style templates).
    static func foldSystem(_ messages: [ChatMessage]) -> [ChatMessage]? {
        guard let system = messages.first, system.role == .system else { return nil }
        var rest = Array(messages.dropFirst())
        if let index = rest.firstIndex(where: { $0.role == .user }) {
            rest[index].content = system.content + "\n\n" + rest[index].content
        } else {
            rest.insert(.user(system.content), at: 0)
        }
        return rest
    }

    /// The ChatML format (`<|im_start|>role\ncontent<|im_end|>\n`), the most widely understood.
    public static func chatML(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var text = ""
        for message in messages {
            text += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }

    /// `{"role": ..., "content": ...}` with keys in that order, as templates expect.
    static func value(_ message: ChatMessage) -> Value {
        .object(OrderedObject([("role", .string(message.role.rawValue)), ("content", .string(message.content))]))
    }
}
