import ArgumentParser
import Foundation
import Inference

/// The `parley` command: the chat by default, plus tools for inspecting and measuring models.
///
/// Exit codes: 0 success, 1 runtime error (a model or file that cannot be used), 2 usage error,
/// 128 + N after signal N (143 for SIGTERM, 129 for SIGHUP) once the conversation is saved.
@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A local terminal chat that runs GGUF language models in-process on the CPU.",
        subcommands: [
            ChatCommand.self, RunCommand.self, InspectCommand.self, TokenizeCommand.self,
            TemplateCommand.self, PerplexityCommand.self, BenchCommand.self, KeysCommand.self, ServeCommand.self,
            ExportCommand.self, PullCommand.self, ModelsCommand.self, RemoveCommand.self,
            UIBenchCommand.self, TokenizeBenchCommand.self, TranscriptBenchCommand.self, SearchBenchCommand.self
        ],
        defaultSubcommand: ChatCommand.self)

    static func main() async {
        if let problem = CPUFeatures.check() {
            FileHandle.standardError.write(Data("parley: \(problem)\n".utf8))
            Foundation.exit(1)
        }
        HeapTrimming.keepScratch()
        do {
            let environment = ProcessInfo.processInfo.environment
            _ = try KernelPath.resolve(environment[KernelPath.environmentVariable])
            _ = try StreamPrefetch.resolve(environment[StreamPrefetch.environmentVariable])
        } catch {
            FileHandle.standardError.write(Data("parley: \(error)\n".utf8))
            Foundation.exit(1)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as SignalExit {
            Foundation.exit(128 + exit.signal)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
            // ArgumentParser reports usage problems as EX_USAGE (64); Parley's contract says 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue == 0 ? 0 : 1)
        }
    }
}

/// A runtime failure whose message is already complete (printed as is, exit code 1).
struct RuntimeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
