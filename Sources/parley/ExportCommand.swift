import ArgumentParser
import Chat
import Foundation

/// `parley export FILE.json [--format md|json] [-o OUT]`: a saved conversation for sharing.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Print a saved conversation as Markdown (or its JSON), to share it.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json
    }

    @Argument(help: "The transcript: a file, or an id or the start of one in the transcripts folder.") var transcript:
        String
    @Option(help: "md (Markdown, the default) or json (the transcript as saved).") var format: Format = .md
    @Option(
        name: [.short, .customLong("output")], help: "Write to this file instead of standard output (never replaced).")
    var output: String?
    @Option(help: "Folder of saved conversations (default: $XDG_DATA_HOME/parley/transcripts).") var transcripts:
        String?

    func run() throws {
        let store = TranscriptStore(
            directory: transcripts.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? TranscriptStore.defaultDirectory())
        let loaded: Transcript
        do { loaded = try store.load(try store.resolve(transcript)) } catch { throw RuntimeError(error.description) }
        let data: Data
        switch format {
        case .md: data = Data(TranscriptMarkdown.render(loaded).utf8)
        case .json:
            guard let encoded = TranscriptStore.encode(loaded) else {
                throw RuntimeError("cannot encode the transcript")
            }
            data = encoded
        }
        guard let output else {
            FileHandle.standardOutput.write(data)
            return
        }
        if FileManager.default.fileExists(atPath: output) {
            throw RuntimeError("\(output) already exists; choose another name or remove it first")
        }
        do { try AtomicFile.write(data, to: URL(fileURLWithPath: output)) } catch {
            throw RuntimeError(error.description)
        }
    }
}
