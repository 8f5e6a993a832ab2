import Chat
import TerminalUI

/// The parameter panel: every change goes straight into the conversation's parameters, so it
/// applies from the next answer; a typed value is checked before it replaces the old one.
extension ChatUI {
    static func performParameterAction(_ action: Action, _ state: inout AppState) -> [Effect]? {
        guard case .parameters(var panel) = state.overlay else {
            switch action {
            case .parameterPrevious, .parameterNext, .parameterDecrease, .parameterIncrease, .parameterEdit,
                .parameterCancel, .parametersReset, .closeParameters:
                return []
            default:
                return nil
            }
        }
        let context = state.contextLength
        if panel.confirmingReset {
            panel.confirmingReset = false
            if action == .parameterEdit { resetParameters(&state, &panel) } else { note(&state, "parameters kept") }
            state.overlay = .parameters(panel)
            return []
        }
        switch action {
        case .parameterPrevious: panel.select(panel.form.selection - 1)
        case .parameterNext: panel.select(panel.form.selection + 1)
        case .parameterDecrease, .parameterIncrease:
            let stepped = panel.selectedField.step(
                state.conversation.parameters, direction: action == .parameterIncrease ? 1 : -1, contextLength: context)
            changeParameters(&state, stepped)
            panel.refresh(state.conversation.parameters, contextLength: context)
        case .parameterEdit:
            guard let typed = panel.form.editor?.text else {
                panel.beginEditing()
                break
            }
            switch panel.selectedField.parse(typed, into: state.conversation.parameters) {
            case .failure(let problem):
                panel.setError(problem.message)
            case .success(let parameters):
                do {
                    try parameters.validate(contextLength: context)
                    changeParameters(&state, parameters)
                    panel.accept(state.conversation.parameters, contextLength: context)
                } catch {
                    panel.setError(error.description)
                }
            }
        case .parameterCancel:
            if panel.form.isEditing {
                panel.cancelEditing()
            } else {
                state.overlay = nil
                return []
            }
        case .parametersReset:
            panel.confirmingReset = true
        case .closeParameters:
            state.overlay = nil
            return []
        default:
            return nil
        }
        state.overlay = .parameters(panel)
        return []
    }

    static func resetParameters(_ state: inout AppState, _ panel: inout ParameterPanel) {
        var defaults = SamplingParameters.defaults
        defaults.maxTokens = min(defaults.maxTokens, state.contextLength)
        if defaults != state.conversation.parameters { rememberForUndo("parameter reset", &state) }
        changeParameters(&state, defaults)
        panel.refresh(state.conversation.parameters, contextLength: state.contextLength)
        note(&state, "parameters reset to defaults (\(state.keyHints.key(.undo)) undoes)")
    }

    /// A key the panel's bindings do not use: while confirming a reset, `y` confirms and any
    /// other key cancels; otherwise a typed character goes to the value (starting to edit it).
    static func typeIntoParameters(_ key: KeyEvent, _ state: inout AppState) {
        guard case .parameters(var panel) = state.overlay else { return }
        if panel.confirmingReset {
            panel.confirmingReset = false
            if key == .character("y") || key == .character("Y") {
                resetParameters(&state, &panel)
            } else {
                note(&state, "parameters kept")
            }
        } else if panel.form.isEditing {
            _ = panel.type(key)
        } else if let character = key.typedCharacter {
            panel.beginEditing(typing: String(character))
        } else {
            return
        }
        state.overlay = .parameters(panel)
    }
}
