import TerminalUI

/// What sets off a binding: a key press or a mouse-wheel notch.
public enum Trigger: Hashable, Sendable {
    case key(KeyEvent)
    case wheelUp
    case wheelDown
}

/// The screen (or part of one) a binding belongs to.
///
/// Each screen consults its contexts in a fixed order (`BindingContext.order(for:)`), so a key
/// can mean one thing in a modal and another on the chat screen.
public enum BindingContext: String, CaseIterable, Hashable, Sendable {
    case global
    case chat
    case editing
    case help
    case systemPrompt
    case parameters
    case browser
    case confirm
    case unsaved
    case savePath
    case tokenInspector
    case promptInspector
    case copyPicker
    case modelPicker

    /// The heading shown in the help screen and the README.
    public var title: String {
        switch self {
        case .global: return "Anywhere"
        case .chat: return "Chat"
        case .editing: return "Editing text (chat input and system prompt)"
        case .help: return "Help screen"
        case .systemPrompt: return "System-prompt editor (F2)"
        case .parameters: return "Parameter panel (F3)"
        case .browser: return "Transcript browser (Ctrl+O)"
        case .confirm: return "Delete confirmation"
        case .unsaved: return "Quitting after a failed save"
        case .savePath: return "Save to another path"
        case .tokenInspector: return "Token inspector (Alt+I)"
        case .promptInspector: return "Prompt inspector (Alt+M)"
        case .copyPicker: return "Copy picker (Alt+K)"
        case .modelPicker: return "Model picker (Ctrl+P)"
        }
    }
}

/// When a binding applies beyond its context.
public enum BindingCondition: Hashable, Sendable {
    case always
    /// Only while the chat input is empty (Home/End scroll then, and Ctrl+E edits the last message).
    case inputEmpty
    /// Only while no parameter value is being typed (Left/Right step the value then).
    case notEditingValue
    /// Only while the chat input is empty and files wait to be sent (Backspace removes one).
    case noInputButAttachments

    /// Shown after the keys in the help, so conditional keys explain themselves.
    public var note: String {
        switch self {
        case .always: return ""
        case .inputEmpty: return "empty input"
        case .notEditingValue: return ""
        case .noInputButAttachments: return "empty input, file attached"
        }
    }
}

/// One row of the key-binding table: the triggers, what they do, where and when.
public struct KeyBinding: Hashable, Sendable {
    public var context: BindingContext
    public var triggers: [Trigger]
    public var action: Action
    public var condition: BindingCondition
    /// A short description for the help screen and the README.
    public var summary: String

    public init(
        _ context: BindingContext, _ triggers: [Trigger], _ action: Action, _ summary: String,
        when condition: BindingCondition = .always
    ) {
        self.context = context
        self.triggers = triggers
        self.action = action
        self.condition = condition
        self.summary = summary
    }
}
