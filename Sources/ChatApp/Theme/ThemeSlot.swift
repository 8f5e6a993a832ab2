/// A named place on screen that a theme colours.
///
/// The raw values are the keys of a theme file's `styles` object (`themes/*.json`).
public enum ThemeSlot: String, CaseIterable, Hashable, Sendable, Codable {
    /// The whole screen; other slots inherit its colours when they leave theirs out.
    case background
    case userLabel = "user.label"
    case userText = "user.text"
    case assistantLabel = "assistant.label"
    case assistantText = "assistant.text"
    case systemLabel = "system.label"
    case systemText = "system.text"
    case markerStopped = "marker.stopped"
    case markerError = "marker.error"
    case hint
    case markdownBold = "markdown.bold"
    case markdownItalic = "markdown.italic"
    case markdownCode = "markdown.code"
    case markdownCodeBlock = "markdown.code_block"
    case markdownCodeFence = "markdown.code_fence"
    case markdownHeading = "markdown.heading"
    case markdownListMarker = "markdown.list_marker"
    case markdownQuote = "markdown.quote"
    case status
    case statusAccent = "status.accent"
    case statusBusy = "status.busy"
    case statusError = "status.error"
    case notice
    case input
    case inputPrompt = "input.prompt"
    case inputPlaceholder = "input.placeholder"
    case modalBorder = "modal.border"
    case modalTitle = "modal.title"
    case modalText = "modal.text"
    case modalSelected = "modal.selected"
    case modalHint = "modal.hint"
    case modalKey = "modal.key"
    case modalError = "modal.error"
    case modalEditing = "modal.editing"
    /// The probability view's bands (`ProbabilityBand`).
    case probabilityHigh = "probability.high"
    case probabilityMedium = "probability.medium"
    case probabilityLow = "probability.low"
    case probabilityVeryLow = "probability.very_low"
    /// The `‹ 2/3 ›` marker of an answer with alternatives.
    case alternativeMarker = "alternative.marker"
    /// The prompt inspector's tokens alternate between these two, so boundaries show.
    case tokenEven = "token.even"
    case tokenOdd = "token.odd"
    /// The token selected in the token inspector.
    case tokenSelected = "token.selected"
}
