import Chat
import Foundation

/// The system prompt a chat template writes by itself when the conversation has none.
///
/// SmolLM2's template, for one, starts every chat without a system message with "You are a
/// helpful AI assistant named SmolLM, trained by Hugging Face"; the F2 editor shows that text
/// so the person knows what the model is told. Templates say it in code, not data, so it is
/// found by rendering: one user message without a system message (A), and with a marker as the
/// system message (B = P + marker + S). When A is P + D + S with D not blank, D stands where a
/// system prompt would, and it is the default only if rendering with D as the system prompt
/// gives A again: that check rules out text the template writes for other reasons (Llama 3.1's
/// knowledge-cutoff lines surround the system prompt and are left out of D; an empty D is no
/// default). `Scripts/reference/default_system_prompts.py` does the same with Python's jinja2,
/// the oracle the tests compare with.
extension PromptBuilder {
    /// Marker texts that no template transforms (no spaces to strip, no special characters).
    static let systemMarker = "PARLEY_SYSTEM_MARKER_7f3a"
    static let userMarker = "PARLEY_USER_MARKER_2c9e"

    /// The template's default system prompt, or nil when it has none, has no template, or
    /// fails to render either form. `shouldStop` ends a slow render (then nil); each render
    /// is bounded by the template limits like any other.
    public func defaultSystemPrompt(now: Date? = nil, shouldStop: @escaping @Sendable () -> Bool = { false })
        -> String?
    {
        guard let template else { return nil }
        let user = ChatMessage.user(Self.userMarker)
        func rendered(_ messages: [ChatMessage]) -> [UInt8]? {
            (try? render(template, messages, true, now, shouldStop)).map { Array($0.utf8) }
        }
        guard let without = rendered([user]), let marked = rendered([.system(Self.systemMarker), user]),
            let at = Self.firstIndex(of: Array(Self.systemMarker.utf8), in: marked)
        else { return nil }
        let prefix = marked[..<at]
        let suffix = marked[(at + Self.systemMarker.utf8.count)...]
        guard without.count >= prefix.count + suffix.count, without.starts(with: prefix),
            without.reversed().starts(with: suffix.reversed())
        else { return nil }
        let middle = without[prefix.count..<(without.count - suffix.count)]
        guard let candidate = String(validating: middle, as: UTF8.self),
            !candidate.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
            rendered([.system(candidate), user]) == without
        else { return nil }
        return candidate
    }

    /// Where `needle` first starts in `haystack` (both short: a rendered one-message prompt).
    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}
