import ArgumentParser
import Chat
import Foundation
import ModelHub
import Synchronization

/// `parley pull REF`: downloads a GGUF model from Hugging Face into the models folder.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download a GGUF model from Hugging Face into the models folder (resumable, verified).",
        discussion: """
            REF is owner/repo:QUANT (the GGUF whose name carries the quant, e.g. Q4_K_M), owner/repo \
            (Q4_K_M, or the only GGUF), or owner/repo/path/file.gguf. HF_ENDPOINT replaces \
            https://huggingface.co; HF_TOKEN is sent for gated or private repositories. An interrupted \
            pull keeps its bytes in the models folder's .partial/ and the same command resumes it.
            """)

    @Argument(help: "owner/repo[:QUANT] or owner/repo/path/file.gguf") var reference: String
    @Option(help: "Seconds without data before giving up (the bytes received are kept).") var stallTimeout = 60
    @Option(help: ArgumentHelp("Seconds between progress lines when stderr is not a terminal.", visibility: .hidden))
    var progressInterval = 5.0

    func validate() throws {
        guard (1...3600).contains(stallTimeout) else {
            throw ValidationError("--stall-timeout must be 1...3600 seconds")
        }
        guard progressInterval >= 0 else { throw ValidationError("--progress-interval must not be negative") }
    }

    func run() async throws {
        let parsed: ModelReference
        do { parsed = try ModelReference(parsing: reference) } catch { throw ValidationError(error.description) }
        let endpoint: HubEndpoint
        do { endpoint = try HubEndpoint(environment: ProcessInfo.processInfo.environment) } catch {
            throw RuntimeError("parley pull: \(error)")
        }
        let folder = Paths.modelsDirectory()
        let puller = ModelPuller(endpoint: endpoint, modelsFolder: folder, stallSeconds: stallTimeout)
        let reporter = PullReporter(interval: progressInterval)
        let trap = SignalTrap([SIGINT, SIGTERM, SIGHUP])
        let task = Task { try await puller.pull(parsed) { reporter.handle($0) } }
        trap.onSignal { task.cancel() }
        let result: ModelPuller.Result
        do { result = try await task.value } catch {
            reporter.finishLine()
            if let signal = trap.signal {
                FileHandle.standardError.write(Data("parley pull: \(error)\n".utf8))
                throw SignalExit(signal: signal)
            }
            throw RuntimeError("parley pull: \(error)")
        }
        reporter.finishLine()
        let name = result.paths.first.map { ($0 as NSString).lastPathComponent } ?? reference
        if result.alreadyInstalled {
            print("\(name) is already installed in \(folder.path) (parley rm it first to pull it again)")
        } else {
            let size = result.paths.reduce(Int64(0)) { total, path in
                total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0)
            }
            let parts = result.paths.count > 1 ? ", \(result.paths.count) parts" : ""
            print("installed \(name) (\(ByteFormat.string(size))\(parts), sha256 verified) in \(folder.path)")
        }
    }
}

/// Draws a pull's progress on stderr: a bar redrawn in place on a terminal, else a line every
/// `interval` seconds (and one when each file starts and is verified).
final class PullReporter: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let interval: Double
    private let state = Mutex(DrawState())

    private struct DrawState {
        var lastDraw: ContinuousClock.Instant?
        var barShown = false
    }

    init(interval: Double) { self.interval = interval }

    func handle(_ event: PullEvent) {
        state.withLock { state in
            switch event {
            case .listing(let repo):
                write("pull: listing \(repo)\n")
            case .planned(let files, let total, let have):
                let resume = have > 0 ? ", resuming with \(ByteFormat.string(have)) already here" : ""
                write("pull: \(files.joined(separator: ", ")) (\(ByteFormat.string(total))\(resume))\n")
            case .progress(let progress):
                let now = ContinuousClock.now
                let wait = isTerminal ? 0.1 : interval
                if let last = state.lastDraw, last.duration(to: now) < .milliseconds(Int64(wait * 1000)),
                    progress.received < progress.total
                {
                    return
                }
                state.lastDraw = now
                if isTerminal {
                    write("\r" + ProgressFormat.bar(progress, width: Self.terminalWidth() - 1) + "\u{1B}[K")
                    state.barShown = true
                } else {
                    write(ProgressFormat.line(progress) + "\n")
                }
            case .verified(let file):
                endBar(&state)
                state.lastDraw = nil
                write("pull: \(file): sha256 verified\n")
            case .installed:
                break
            }
        }
    }

    /// Ends a bar left on the line (before an error message or the summary).
    func finishLine() { state.withLock { endBar(&$0) } }

    private func endBar(_ state: inout DrawState) {
        if state.barShown { write("\n") }
        state.barShown = false
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else { return 80 }
        return Int(size.ws_col)
    }
}
