import Foundation
import TestSupport
import Testing

@testable import Chat
@testable import Inference
@testable import LocalChat

/// A session sizes the rings of sliding-window layers for the sequences it can hold at once
/// (`SessionOptions.liveSequences`: the chat's answer and its alternatives; serve sets its slots'
/// and kept prompts'), and keeps no ring where one would be no smaller than the main pool.
@Suite(
    .requires([
        .generatedFiles(
            [GeneratedModels.folder.appendingPathComponent("synthetic-gemma3-ring.gguf")],
            makeItWith: "Scripts/test.sh (it generates it with PyPI gguf)")
    ]))
struct WindowedSessionTests {
    /// Window 4 on two of three layers, context 512 (so a chat session has 1,024 main cells).
    let model = GeneratedModels.folder.appendingPathComponent("synthetic-gemma3-ring.gguf").path

    func rings(liveSequences: Int?) throws -> [Int] {
        var options = SessionOptions(modelPath: model, threads: 1)
        if let liveSequences { options.liveSequences = liveSequences }
        let session = try ChatSession(options: options)
        return session.transformer.cache.pools.filter { $0.window != nil }.map(\.capacity)
    }

    @Test func ringsAreSizedForTheSessionsSequences() throws {
        #expect(SessionOptions(modelPath: model).liveSequences == SamplingParameters.maxChoices + 1)
        let perSequence = KVCache.ringCapacity(window: 4, batch: 128, sequences: 1, rollback: 16)
        #expect(try rings(liveSequences: 4) == [4 * perSequence])
        // 9 sequences × 179 cells would not be smaller than the 1,024 main cells: no ring.
        #expect(try rings(liveSequences: nil) == [])
    }
}
