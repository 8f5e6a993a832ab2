import ArgumentParser
import Chat
import ChatApp
import Foundation
import LocalChat
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
    @Option(
        name: .customLong("open"),
        help: "Continue a saved conversation: a transcript file, or an id or the start of one.")
    var openFile: String?
    @Flag(help: "Continue the most recent saved conversation.") var last = false
    @Option(help: "Folder of saved conversations (default: $XDG_DATA_HOME/parley/transcripts).") var transcripts:
        String?
    @Option(help: "Colour theme: default-dark, light, solarized-dark, high-contrast, mono, or your own.") var theme:
        String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try ConfiguredModels.load(environment: environment)
        let loader: BackendLoader
        var startingModel: String?
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
            startingModel = sessionOptions.modelPath
        }
        let store = TranscriptStore(
            directory: transcripts.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? TranscriptStore.defaultDirectory())
        var opened: (transcript: Transcript, url: URL)?
        var openLock: TranscriptLock?
        if last, openFile != nil { throw ValidationError("--last and --open cannot be combined") }
        var reference = try openFile.map { ref throws -> URL in
            do throws(ChatError) { return try store.resolve(ref) } catch { throw RuntimeError(error.description) }
        }
        if last {
            guard let recent = store.mostRecent() else {
                throw RuntimeError("--last: there are no saved conversations in \(store.directory.path)")
            }
            reference = recent
        }
        if let url = reference {
            do {
                openLock = try TranscriptLock.acquire(url) // another Parley answering into it: say so
                opened = (try store.load(url), url)
            } catch { throw RuntimeError(error.description) }
        }
        var conversation =
            opened?.transcript.conversation ?? Conversation(parameters: config.defaultParameters ?? .defaults)
        conversation.parameters = try sampling.apply(to: conversation.parameters)
        if let system { conversation.systemPrompt = system.isEmpty ? nil : system }

        let configHome = Paths.configHome(environment: environment)
        let configURL = AppConfig.defaultURL(configHome: configHome)
        let catalog = ThemeCatalog(
            directories: [
                ThemeCatalog.builtInDirectory(executable: Self.executableURL(), environment: environment),
                ThemeCatalog.userDirectory(configHome: configHome)
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
        state.bindings = KeysCommand.effectiveBindings(problems: &problems)
        if !problems.isEmpty { state.showNotice(problems.joined(separator: "; "), isError: true, for: .seconds(10)) }
        let runtime = Runtime(
            terminal: terminal, state: state, loader: loader, store: store,
            configURL: configURL)
        var directory = endpointOptions.modelDirectory(
            config: config, startingModel: startingModel, contextLength: modelOptions.contextLength,
            threads: modelOptions.threads)
        directory.speculate = !modelOptions.noSpeculate
        directory.cacheType = modelOptions.cacheType
        runtime.modelDirectory = directory
        runtime.hold(openLock)
        openLock = nil
        let outcome = runtime.run()
        terminal.shutdown()
        // A save that failed on the way out is never forgotten: say so, and where the conversation went.
        for line in outcome.report { FileHandle.standardError.write(Data("parley: \(line)\n".utf8)) }
        if let json = outcome.unsavedJSON { FileHandle.standardError.write(json) }
        if let error = outcome.error { throw RuntimeError(error) }
        if let saved = outcome.savedTo { print("conversation saved in \(saved.path)") }
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
        commandName: "help-keys",
        abstract: "Print the chat's key bindings in effect (config.json's \"keys\" applied) as a Markdown table.")

    @Flag(help: "The built-in bindings, ignoring config.json (the README's table).") var defaults = false
    @Flag(help: "List the action names config.json's \"keys\" object takes.") var actions = false

    func run() {
        if actions {
            for action in Action.allCases where KeyBindings.table.contains(where: { $0.action == action }) {
                let binding = KeyBindings.table.first { $0.action == action }
                print("\(action.rawValue)\t\(binding.map(KeyBindings.keysText) ?? "")\t\(binding?.summary ?? "")")
            }
            return
        }
        var problems: [String] = []
        let table = defaults ? KeyBindings.table : Self.effectiveBindings(problems: &problems)
        for problem in problems { FileHandle.standardError.write(Data("parley: \(problem)\n".utf8)) }
        print(KeyBindings.markdownTable(table))
    }

    /// The built-in bindings with `$XDG_CONFIG_HOME/parley/config.json`'s overrides applied.
    static func effectiveBindings(problems: inout [String]) -> [KeyBinding] {
        let url = AppConfig.defaultURL(configHome: Paths.configHome(environment: ProcessInfo.processInfo.environment))
        let applied = KeyOverrides.load(from: url, problems: &problems).apply(to: KeyBindings.table)
        problems += applied.problems
        return applied.table
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
