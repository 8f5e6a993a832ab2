import ArgumentParser
import Chat
import Foundation
import LocalChat

/// `parley run --raw`: text continuation for base models, with no chat template, no roles and
/// no transcript; `--n` decodes alternatives together as in a chat answer. With `--endpoint`
/// the server continues it (`POST /completions`).
extension RunCommand {
    func runRaw(_ text: String) throws {
        let trap = SignalTrap([SIGTERM, SIGHUP])
        let parameters = try alternatives(sampling.apply(to: SamplingParameters()))
        // The local model, or with --endpoint a server's `/completions` (which tokenizes itself).
        let backend = try openBackend(parameters: parameters)
        let session = backend.session
        if let signal = trap.signal { throw SignalExit(signal: signal) }
        trap.onSignal { session.cancel() }
        let escapeControls = isatty(STDOUT_FILENO) != 0
        let completion = session.respondWaiting(to: .text(text, parseSpecial: false, parameters: parameters)) {
            event in
            if case .delta(let delta) = event, !json, parameters.n == 1 {
                let shown = escapeControls ? ControlEscaping.escape(delta.text) : delta.text
                FileHandle.standardOutput.write(Data(shown.utf8))
            }
        }
        // A server that failed, or cut the stream before any text.
        let failed = completion.reason == .error || completion.reason == .connectionLost
        if failed && completion.text.isEmpty {
            throw RuntimeError(completion.error ?? "generation failed")
        }
        if completion.reason == .cancelled && completion.text.isEmpty, let signal = trap.signal {
            throw SignalExit(signal: signal)
        }
        if json {
            print(ChatCompletionJSON.render(completion, model: backend.name, id: UUID().uuidString))
        } else if completion.choices.count > 1 {
            for choice in completion.choices {
                print("--- continuation \(choice.index + 1) of \(completion.choices.count) ---")
                print(escapeControls ? ControlEscaping.escape(choice.text) : choice.text)
            }
        } else {
            print(completion.reason == .connectionLost ? "\n[connection lost]" : "")
        }
        if failed { throw RuntimeError(completion.error ?? "generation failed") }
        if let signal = trap.signal { throw SignalExit(signal: signal) }
    }
}
