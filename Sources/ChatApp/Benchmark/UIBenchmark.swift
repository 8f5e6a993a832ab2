import Chat
import Foundation
import TerminalUI

/// Timings of the chat screen, for `parley bench-ui` (benchmarks, not tests: nothing asserts).
///
/// - first frame: a long transcript is loaded from disk and its first screen drawn and diffed;
/// - page scroll: PgUp from the bottom of that transcript, update + draw + diff per page;
/// - keystroke to screen: the real runtime loop with a simulated model streaming an answer,
///   from a key reaching the loop to the frame that shows it.
public enum UIBenchmark {
    public struct Report: CustomStringConvertible, Sendable {
        public var messageCount: Int
        public var loadAndFirstFrame: Duration
        public var firstFrame: Duration
        public var pageScroll: [Duration]
        public var keystroke: [Duration]
        /// A 1 MB bracketed paste into the input, drawn, and one key typed after it.
        public var paste: Duration
        public var keyAfterPaste: Duration

        public var description: String {
            func ms(_ d: Duration) -> String { String(format: "%.2f ms", Double(d / .microseconds(1)) / 1000) }
            func stats(_ values: [Duration]) -> String {
                let sorted = values.sorted()
                guard let last = sorted.last else { return "no samples" }
                let p95 = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
                return
                    "median \(ms(sorted[sorted.count / 2])), p95 \(ms(p95)), max \(ms(last)) (\(sorted.count) samples)"
            }
            return """
                first frame of a \(messageCount)-message transcript: \(ms(firstFrame)) \
                (with loading the file: \(ms(loadAndFirstFrame)))   target < 300 ms
                page scroll redraw: \(stats(pageScroll))   target < 5 ms
                keystroke to screen while an answer streams: \(stats(keystroke))   target < 30 ms
                1 MB paste into the input, drawn: \(ms(paste)); a key typed after it: \(ms(keyAfterPaste))
                """
        }
    }

    static let size = TerminalSize(width: 120, height: 40)

    public static func run(messageCount: Int = 5000, keystrokes: Int = 60) throws -> Report {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-ui-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = TranscriptStore(directory: folder)
        let url = try store.save(Transcript(title: "bench", conversation: longConversation(messageCount)))

        let clock = ContinuousClock()
        var state = AppState(size: size, transcriptID: "bench", created: Date(), model: benchModel)
        var grid = ScreenGrid(size: size)
        let loadStart = clock.now
        let reader = TranscriptStore(directory: folder)
        let transcript = try reader.load(url)
        let frameStart = clock.now
        state.open(transcript, url: url)
        _ = ChatUI.update(&state, .input(.resize(size)))
        grid = ChatUI.render(state, size: size).grid
        _ = grid.diff(from: nil)
        let frameEnd = clock.now

        var scrolls: [Duration] = []
        for _ in 0..<50 {
            let start = clock.now
            _ = ChatUI.update(&state, .input(.key(.pageUp)))
            let next = ChatUI.render(state, size: size).grid
            _ = next.diff(from: grid)
            scrolls.append(clock.now - start)
            grid = next
        }
        let line = String(repeating: "paste ", count: 16) + "中文🎉\n"
        let big = String(repeating: line, count: (1 << 20) / line.utf8.count)
        let pasteStart = clock.now
        _ = ChatUI.update(&state, .input(.paste(big)))
        _ = ChatUI.render(state, size: size).grid.diff(from: grid)
        let keyStart = clock.now
        _ = ChatUI.update(&state, .input(.key(.character("x"))))
        _ = ChatUI.render(state, size: size)
        let keyEnd = clock.now
        return Report(
            messageCount: messageCount, loadAndFirstFrame: frameEnd - loadStart, firstFrame: frameEnd - frameStart,
            pageScroll: scrolls, keystroke: streamingKeystrokes(count: keystrokes, store: store),
            paste: keyStart - pasteStart, keyAfterPaste: keyEnd - keyStart)
    }

    static let benchModel = ModelSummary(fileName: "simulated.gguf", contextLength: 8192)

    /// Keystroke latencies measured through the real runtime loop while a simulated answer streams.
    static func streamingKeystrokes(count: Int, store: TranscriptStore) -> [Duration] {
        let backend = SimulatedBackend(delay: .milliseconds(10), pieceLength: 4) { _ in
            String(repeating: "Streaming **markdown** text with `code`, 中文 and emoji 🎉. ", count: 400)
        }
        var events: [(Duration, InputEvent)] = []
        for character in "Tell me a long story" { events.append((.milliseconds(200), .key(.character(character)))) }
        events.append((.milliseconds(200), .key(.enter)))
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for index in 0..<count {
            events.append((.milliseconds(500 + 40 * index), .key(.character(letters[index % letters.count]))))
        }
        events.append((.milliseconds(600 + 40 * count), .key(.ctrl("q"))))
        let terminal = BenchTerminal(size: size, events: events, measureFrom: .milliseconds(500))
        let state = AppState(size: size, transcriptID: "bench-stream", created: Date())
        let runtime = Runtime(
            terminal: terminal, state: state, loader: SimulatedBackend.loader(backend, contextLength: 8192),
            store: store, configURL: nil)
        _ = runtime.run()
        return terminal.latencies
    }

    /// A long conversation with varied text: markdown answers, CJK and emoji questions.
    static func longConversation(_ count: Int) -> Conversation {
        var conversation = Conversation(systemPrompt: "You are a helpful assistant.")
        let questions = [
            "How do I reverse a list in Swift?", "用中文解释一下递归。", "Give me three emoji facts 🎉🐍🚀",
            "What is the capital of France, and why is it famous?"
        ]
        let answer = """
            Here is an answer with **bold**, *italic* and `inline code`.

            - first point, long enough to wrap across more than one line of the screen when it is narrow
            - second point

            ```swift
            let reversed = Array(list.reversed())
            ```
            """
        for index in 0..<count {
            if index % 2 == 0 {
                conversation.messages.append(.user(questions[(index / 2) % questions.count] + " (\(index))"))
            } else {
                conversation.messages.append(.assistant(answer))
            }
        }
        return conversation
    }
}

/// A terminal that plays keys at fixed times and records, for each key after `measureFrom`,
/// how long until the next frame is drawn.
final class BenchTerminal: Terminal {
    let size: TerminalSize
    private var events: [(Duration, InputEvent)]
    private let measureFrom: Duration
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var pendingKey: ContinuousClock.Instant?
    private var lastGrid: ScreenGrid?
    private(set) var latencies: [Duration] = []

    init(size: TerminalSize, events: [(Duration, InputEvent)], measureFrom: Duration) {
        self.size = size
        self.events = events
        self.measureFrom = measureFrom
        start = clock.now
    }

    func draw(_ grid: ScreenGrid) {
        _ = grid.diff(from: lastGrid)
        lastGrid = grid
        if let pendingKey {
            latencies.append(clock.now - pendingKey)
            self.pendingKey = nil
        }
    }

    func nextEvent(timeout: Duration?) -> InputEvent? {
        let elapsed = clock.now - start
        if let (due, event) = events.first, due <= elapsed {
            events.removeFirst()
            if due >= measureFrom && pendingKey == nil { pendingKey = clock.now }
            return event
        }
        let untilNext = events.first.map { $0.0 - elapsed } ?? .milliseconds(5)
        let wait = min(timeout ?? .milliseconds(5), max(.zero, untilNext))
        if wait > .zero { Thread.sleep(forTimeInterval: Double(wait / .microseconds(1)) / 1_000_000) }
        return nil
    }

    func setCursor(_ position: GridPosition?) {}
    func setClipboard(_ text: String) {}
    func bell() {}
    func shutdown() {}
}
