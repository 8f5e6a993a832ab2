import Chat
import TerminalUI

/// What a piece of the conversation pane is, so the theme decides how it looks.
///
/// Wrapped lines are cached with roles, not styles, so switching themes never rewraps.
public enum PaneRole: Hashable, Sendable {
    case label(Role)
    case userText
    case systemText
    /// Assistant text, with the markdown role MarkdownLite gave it.
    case assistant(TextRole)
    case markerStopped
    case markerError
    case hint
    /// The `‹ 2/3 ›` marker of an answer with alternatives.
    case alternativeMarker
    /// An answer token in the probability view, by its band.
    case probability(ProbabilityBand)

    /// The theme's style for this role.
    public func style(in theme: Theme) -> Style {
        switch self {
        case .label(.user): return theme[.userLabel]
        case .label(.assistant): return theme[.assistantLabel]
        case .label(.system): return theme[.systemLabel]
        case .userText: return theme[.userText]
        case .systemText: return theme[.systemText]
        case .assistant(let role): return theme.markdownStyle(role)
        case .markerStopped: return theme[.markerStopped]
        case .markerError: return theme[.markerError]
        case .hint: return theme[.hint]
        case .alternativeMarker: return theme[.alternativeMarker]
        case .probability(let band): return theme[band.slot]
        }
    }
}

/// One display line of the conversation pane, already wrapped to the pane's width.
public typealias PaneLine = TextLine<PaneRole>

/// One block of the conversation pane, in order from the top.
public enum BlockKey: Hashable, Sendable {
    /// The system prompt, when one is set.
    case system
    /// `conversation.messages[index]`.
    case message(Int)
    /// The answer being written.
    case streaming
    /// An answer that failed before writing anything.
    case failure
}

/// What a block shows; the cache compares it to know whether its wrapped lines are still valid.
enum BlockSource: Equatable, Sendable {
    case system(String)
    /// `marker` is the alternatives marker (`‹ 2/3 ›`); `tokens` are set in the probability view.
    /// `contextRule`: the messages above this one were left out of the model's context.
    case message(
        role: Role, content: String, finishReason: String?, error: String?, marker: String?,
        tokens: [TokenLogprob]?, contextRule: Bool = false)
    /// `tokens` are set in the probability view when the answer's logprobs are recorded.
    case streaming(text: String, waiting: Bool, marker: String?, tokens: [TokenLogprob]? = nil)
    case failure(String)
}
