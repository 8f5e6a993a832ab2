import ArgumentParser
import Chat
import LocalChat
import ChatApp
import Foundation
import NcursesTerminal
import RemoteChat
import TerminalUI

/// `parley chat` (the default command): the full-screen chat.
///
/// The model path is resolved before the screen opens, so "no model" is a plain message and
/// exit code 1; the model itself loads behind the already visible screen.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "The full-screen chat (the default command).")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var endpointOptions: EndpointOptions
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "System prompt (replaces an opened conversation's).") var system: String?
    @Option(name: .customLong("open"), help: "Continue a saved conversation (a transcript file).") var openFile: String?
    @Option(help: "Folder of saved conversations (default: $XDG_DATA_HOME/parley/transcripts).") var transcripts: String?
    @Option(help: "Colour theme: default-dark, light, solarized-dark, high-contrast, mono, or your own.") var theme: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try ConfiguredModels.load(environment: environment)
        let loader: BackendLoader
        if let remote = try endpointOptions.remoteOptions(model: modelOptions.model, config: config) {
            loader = RemoteSession.loader(options: remote)
        } else {
            let sessionOptions: SessionOptions
            do {
                sessionOptions = try modelOptions.sessionOptions(fallback: ConfiguredModels.localDefault(config))
            } catch let error as ChatError {
                throw RuntimeError(error.description)
            }
            try ContextLimit.check(sessionOptions.contextLength, modelPath: sessionOptions.modelPath)
            loader = ChatSession.loader(options: sessionOptions)
        }
        let store = TranscriptStore(
            directory: transcripts.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? TranscriptStore.defaultDirectory())
        var opened: (transcript: Transcript, url: URL)?
        var openLock: TranscriptLock?
        if let openFile {
            let url = URL(fileURLWithPath: openFile)
            do {
                openLock = try TranscriptLock.acquire(url)  // another Parley answering into it: say so
                opened = (try store.load(url), url)
            } catch { throw RuntimeError(error.description) }
        }
        var conversation = opened?.transcript.conversation ?? Conversation(parameters: config.defaultParameters ?? .defaults)
        conversation.parameters = try sampling.apply(to: conversation.parameters)
        if let system { conversation.systemPrompt = system.isEmpty ? nil : system }

        let configHome = Paths.configHome(environment: environment)
        let configURL = AppConfig.defaultURL(configHome: configHome)
        let catalog = ThemeCatalog(directories: [
            ThemeCatalog.builtInDirectory(executable: Self.executableURL(), environment: environment),
            ThemeCatalog.userDirectory(configHome: configHome),
        ].compactMap { $0 })
        var problems = catalog.problems
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let themeName = Self.chooseTheme(
            requested: theme, noColor: noColor, configURL: configURL, catalog: catalog, problems: &problems)

        let terminal: NcursesTerminal
        do { terminal = try NcursesTerminal(options: NcursesTerminal.Options(noColor: noColor)) } catch {
            throw RuntimeError(String(describing: error))
        }
        terminal.installSignalHandlers([.interrupt, .terminate, .hangup])
        defer { terminal.shutdown() }

        var state = AppState(
            size: terminal.size, conversation: conversation, transcriptID: UUID().uuidString.lowercased(),
            created: Date(), themes: catalog.themes, themeName: themeName,
            randomSeed: UInt64.random(in: 0...UInt64.max))
        if let opened {
            state.open(opened.transcript, url: opened.url)
            state.conversation = conversation
        }
        if !problems.isEmpty { state.showNotice(problems.joined(separator: "; "), isError: true, for: .seconds(10)) }
        let runtime = Runtime(
            terminal: terminal, state: state, loader: loader, store: store,
            configURL: configURL)
        runtime.hold(openLock)
        openLock = nil
        let outcome = runtime.run()
        terminal.shutdown()
        // A save that failed on the way out is never forgotten: say so, and where the conversation went.
        for line in outcome.report { FileHandle.standardError.write(Data("parley: \(line)\n".utf8)) }
        if let json = outcome.unsavedJSON { FileHandle.standardError.write(json) }
        if let error = outcome.error { throw RuntimeError(error) }
        if let signal = outcome.signal { throw SignalExit(signal: signal) }
    }

    /// The starting theme; problems (an unknown name, an unreadable config) go to `problems`.
    static func chooseTheme(
        requested: String?, noColor: Bool, configURL: URL, catalog: ThemeCatalog, problems: inout [String]
    ) -> String? {
        var remembered: String?
        do { remembered = try AppConfig.load(from: configURL).theme } catch { problems.append(error.description) }
        let choice = catalog.choose(requested: requested, noColor: noColor, remembered: remembered)
        if let problem = choice.problem { problems.append(problem) }
        return choice.name
    }

    /// The running executable, for finding the built-in `themes/` folder beside the build.
    static func executableURL() -> URL? {
        if let first = CommandLine.arguments.first, first.contains("/") {
            return URL(fileURLWithPath: first).standardizedFileURL
        }
        return Bundle.main.executableURL
    }
}

/// `parley help-keys`: the key-binding table as Markdown (the README's "Key bindings" section).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "help-keys", abstract: "Print the chat's key bindings as a Markdown table.")

    func run() {
        print(KeyBindings.markdownTable())
    }
}

/// `parley bench-ui` (hidden): how fast the chat screen draws, with a simulated model.
struct UIBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ui", abstract: "Measure the chat screen's drawing speed.", shouldDisplay: false)

    @Option(help: "Messages in the long transcript.") var messages = 5000
    @Option(help: "Keystrokes timed while an answer streams.") var keystrokes = 60

    func run() throws {
        let report = try UIBenchmark.run(messageCount: messages, keystrokes: keystrokes)
        print(report.description)
    }
}
