import Chat
import Foundation
import TerminalUI

/// Quitting never loses a conversation: when the save that quitting starts fails, the app asks
/// what to do instead of leaving (retry, save to another path, quit without saving, or go back).
/// A signal (SIGTERM, SIGHUP) cannot wait for an answer: the conversation is then rescued to a
/// fallback file, and the process exits with 128 + the signal's number.
extension ChatUI {
    /// Quit (Ctrl+Q, a second Ctrl+C, SIGTERM, SIGHUP): keep the partial answer, save, leave.
    ///
    /// With something to save, the app waits for the save's result (`transcriptSaved` or
    /// `saveFailed`) before it quits; with nothing unsaved it quits at once.
    static func quit(_ state: inout AppState, signal: TerminalSignal? = nil) -> [Effect] {
        if let signal { state.exitSignal = signal }
        var effects = abandonAnswer(&state)
        let saves = saveIfNeeded(&state)
        effects += saves
        guard saves.isEmpty else {
            state.pendingQuit = true
            return effects
        }
        return effects + leave(&state)
    }

    /// Ends the loop: the runtime stops after this update.
    static func leave(_ state: inout AppState) -> [Effect] {
        state.pendingQuit = false
        state.isQuitting = true
        return [.quit]
    }

    /// A save finished: quitting goes on, if it was waiting.
    static func saveSucceeded(_ state: inout AppState) -> [Effect] {
        state.unsavedError = nil
        guard state.pendingQuit else { return [] }
        return leave(&state)
    }

    /// A save failed: the change stays unsaved; quitting asks, or (after a signal) rescues.
    static func saveFailed(_ state: inout AppState, _ message: String) -> [Effect] {
        state.isDirty = true
        state.lastError = message
        state.unsavedError = message
        guard state.pendingQuit else { return [] }
        state.pendingQuit = false
        if state.exitSignal != nil {
            return [.rescue(state.transcriptSnapshot(), reason: message)] + leave(&state)
        }
        state.overlay = .unsaved(UnsavedPrompt(error: message))
        return []
    }

    static func performUnsavedAction(_ action: Action, _ state: inout AppState) -> [Effect]? {
        guard case .unsaved(var prompt) = state.overlay else {
            return isUnsavedAction(action) ? [] : nil
        }
        switch action {
        case .unsavedRetry:
            state.overlay = nil
            return quit(&state)
        case .unsavedSaveAs:
            let width = OverlayGeometry.unsavedPathEditor(state.size).width
            prompt.path = LineEditor(text: state.transcript.url?.path ?? "", width: max(1, width), maxVisibleRows: 1)
        case .unsavedDiscard:
            state.overlay = nil
            state.unsavedDiscarded = true
            return leave(&state)
        case .unsavedCancel:
            state.overlay = nil
            note(&state, "not saved: \(prompt.error)", isError: true)
            return []
        case .savePathConfirm:
            guard let editor = prompt.path else { return [] }
            let typed = editor.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !typed.isEmpty else { return [.bell] }
            let url = URL(fileURLWithPath: NSString(string: typed).expandingTildeInPath)
            state.overlay = nil
            state.isDirty = false
            state.pendingQuit = true
            return [.save(state.transcriptSnapshot(), to: url)]
        case .savePathCancel:
            prompt.path = nil
        default:
            return nil
        }
        state.overlay = .unsaved(prompt)
        return []
    }

    private static func isUnsavedAction(_ action: Action) -> Bool {
        switch action {
        case .unsavedRetry, .unsavedSaveAs, .unsavedDiscard, .unsavedCancel, .savePathConfirm, .savePathCancel:
            return true
        default:
            return false
        }
    }
}
