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
            var defaults = SamplingParameters.defaults
            defaults.maxTokens = min(defaults.maxTokens, context)
            changeParameters(&state, defaults)
            panel.refresh(state.conversation.parameters, contextLength: context)
            note(&state, "parameters reset to defaults")
        case .closeParameters:
            state.overlay = nil
            return []
        default:
            return nil
        }
        state.overlay = .parameters(panel)
        return []
    }
}
