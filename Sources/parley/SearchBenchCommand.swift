import ArgumentParser
import Chat
import Foundation

/// `parley bench-search` (hidden): how soon the Ctrl+O full-text search shows its first
/// results, and how long a whole search takes, over a folder of generated conversations.
struct SearchBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-search", abstract: "Time the transcript browser's full-text search.", shouldDisplay: false)

    @Option(help: "Transcripts to write and search.") var count = 1000
    @Option(help: "Messages per transcript.") var messages = 20
    @Option(help: "Rounds per query (median and best are reported).") var rounds = 5

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-search-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = TranscriptStore(directory: folder)
        // Seeded words, so every run searches the same text. "quokka" is in one answer only
        // (in the oldest conversation, searched last); "answer" is in every file.
        var random: UInt64 = 0x5EED
        func next() -> UInt64 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return random >> 33
        }
        let words = ["garden", "river", "engine", "proof", "melody", "harbour", "lemon", "circuit", "winter", "atlas"]
        for index in 0..<count {
            var transcript = Transcript(id: "bench-\(index)", title: "Conversation \(index)")
            transcript.updated = Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
            transcript.conversation.messages = (0..<messages).map { turn in
                let topic = (0..<6).map { _ in words[Int(next() % UInt64(words.count))] }.joined(separator: " ")
                if turn.isMultiple(of: 2) { return .user("Question \(turn) about \(topic), in a few sentences?") }
                let rare = index == 0 && turn == messages - 1 ? " A quokka smiles." : ""
                return .assistant(
                    String(repeating: "An answer about \(topic) with some length to it. ", count: 8) + rare)
            }
            try store.save(transcript)
        }
        let urls = store.list().summaries.map(\.url)
        guard urls.count == count else { throw RuntimeError("listed \(urls.count) of \(count) transcripts") }
        for query in ["quokka", "harbour lemon", "answer"] {
            var first: [Double] = []
            var total: [Double] = []
            var found = 0
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                var firstAt: Double?
                TranscriptSearch.run(query, in: urls) { hits, done in
                    if firstAt == nil && (!hits.isEmpty || done) { firstAt = seconds(ContinuousClock.now - start) }
                    if done { found = hits.count }
                }
                first.append(firstAt ?? 0)
                total.append(seconds(ContinuousClock.now - start))
            }
            first.sort()
            total.sort()
            let label = "\"\(query)\"".padding(toLength: 16, withPad: " ", startingAt: 0)
            print(
                label
                    + String(
                        format:
                            "%4d of %d conversations: first results median %.3f s (best %.3f), whole search median %.3f s (best %.3f)",
                        found, count, first[first.count / 2], first[0], total[total.count / 2], total[0]))
        }
    }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
