import ArgumentParser
import Chat
import Foundation
import GGUF
import Inference
import LocalChat

/// `parley bench-tokenize`: tokenizer speed, model load included, on a text file
/// (`Scripts/bench-tokenizer.sh` builds the 1 MiB prose-and-code corpus).
struct TokenizeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-tokenize", abstract: "Time opening a model's tokenizer and encoding a file.",
        shouldDisplay: false)

    @Option(name: [.short, .customLong("model")], help: "GGUF model file.") var model: String
    @Option(name: [.short, .customLong("file")], help: "Text to encode.") var file: String
    @Option(name: [.short, .customLong("repetitions")], help: "Timed runs (the best is reported).") var repetitions = 5

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw RuntimeError("cannot read \(file)") }
        let text = String(decoding: data, as: UTF8.self)
        var best = Double.infinity
        for run in 1...max(1, repetitions) {
            let start = ContinuousClock.now
            let tokenizer = try Tokenizer(gguf: try GGUFFile(path: model))
            let loaded = ContinuousClock.now
            let ids = try tokenizer.encode(text, addSpecial: false, parseSpecial: false)
            let done = ContinuousClock.now
            let load = seconds(loaded - start)
            let encode = seconds(done - loaded)
            best = min(best, load + encode)
            print(
                String(
                    format: "run %d: load %.4f s + encode %.4f s = %.4f s (%d bytes, %d tokens)",
                    run, load, encode, load + encode, data.count, ids.count))
        }
        print(String(format: "best: %.4f s (load + encode)", best))
    }
}

/// `parley bench-transcripts`: how long listing a folder of saved conversations takes.
struct TranscriptBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-transcripts", abstract: "Time listing a folder of transcripts.", shouldDisplay: false)

    @Option(help: "Transcripts to write and list.") var count = 1000
    @Option(help: "Messages per transcript.") var messages = 20

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = TranscriptStore(directory: folder)
        for index in 0..<count {
            var transcript = Transcript(id: "bench-\(index)", title: "Conversation \(index)")
            transcript.conversation.messages = (0..<messages).map { turn in
                turn.isMultiple(of: 2)
                    ? .user("Question \(turn): how does this work, in a few sentences?")
                    : .assistant(String(repeating: "An answer with some length to it. ", count: 12))
            }
            try writer.save(transcript)
        }
        var times: [Double] = []
        for _ in 0..<5 {
            let store = TranscriptStore(directory: folder)
            let start = ContinuousClock.now
            let listed = store.list().summaries.count
            times.append(seconds(ContinuousClock.now - start))
            guard listed == count else { throw RuntimeError("listed \(listed) of \(count) transcripts") }
        }
        times.sort()
        print(
            String(
                format: "listed %d transcripts (%d messages each): median %.3f s, best %.3f s",
                count, messages, times[times.count / 2], times[0]))
    }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
