import ArgumentParser
import Chat
import Foundation
import LocalChat

/// `parley run --raw`: text continuation for base models, with no chat template, no roles and
/// no transcript; `--n` decodes alternatives together as in a chat answer.
extension RunCommand {
    func runRaw(_ text: String) throws {
        let trap = SignalTrap([SIGTERM, SIGHUP])
        let parameters = try alternatives(sampling.apply(to: SamplingParameters()))
        let options: SessionOptions
        do { options = try modelOptions.sessionOptions() } catch let error as ChatError {
            throw RuntimeError(error.description)
        }
        try ContextLimit.check(options.contextLength, modelPath: options.modelPath)
        let session: ChatSession
        do { session = try ChatSession(options: options) } catch let error as ChatError {
            if case .contextTooLarge = error { throw ValidationError(error.description) }
            throw RuntimeError(error.description)
        }
        do {
            try parameters.validate(
                contextLength: sampling.maxTokens == nil ? nil : session.info.contextLength,
                vocabularySize: session.info.vocabularySize)
        } catch { throw ValidationError(error.description) }
        if let signal = trap.signal { throw SignalExit(signal: signal) }
        trap.onSignal { session.cancel() }
        let escapeControls = isatty(STDOUT_FILENO) != 0
        let completion = session.continueText(text, parameters: parameters) { event in
            if case .delta(let delta) = event, !json, parameters.n == 1 {
                let shown = escapeControls ? ControlEscaping.escape(delta.text) : delta.text
                FileHandle.standardOutput.write(Data(shown.utf8))
            }
        }
        if completion.reason == .error && completion.text.isEmpty {
            throw RuntimeError(completion.error ?? "generation failed")
        }
        if completion.reason == .cancelled && completion.text.isEmpty, let signal = trap.signal {
            throw SignalExit(signal: signal)
        }
        if json {
            print(ChatCompletionJSON.render(completion, model: session.info.fileName, id: UUID().uuidString))
        } else if completion.choices.count > 1 {
            for choice in completion.choices {
                print("--- continuation \(choice.index + 1) of \(completion.choices.count) ---")
                print(escapeControls ? ControlEscaping.escape(choice.text) : choice.text)
            }
        } else {
            print()
        }
        if completion.reason == .error { throw RuntimeError(completion.error ?? "generation failed") }
        if let signal = trap.signal { throw SignalExit(signal: signal) }
    }
}
