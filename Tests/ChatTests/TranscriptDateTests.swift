import Foundation
import Testing

@testable import Chat

/// Found by `Scripts/fuzz.sh transcript` (Fuzz/Crashes/transcript/date-fraction): Foundation's
/// ISO 8601 parser takes `09:02:1.3Z`, and saving wrote whole seconds, so the transcript changed
/// when saved and loaded again. Dates are kept to whole seconds on load.
@Suite("Transcript dates")
struct TranscriptDateTests {
    @Test("a date with a fraction survives save and load unchanged")
    func fractionalDateRoundTrips() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-dates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.json")
        let json = """
            {"version": 2, "id": "dates", "title": "hi", "created": "2026-11-22T09:00:00Z", "updated": "2026-11-22T09:02:1.3Z",
             "parameters": {}, "messages": [{"role": "user", "content": "hi"}]}
            """
        try Data(json.utf8).write(to: input)
        let store = TranscriptStore(directory: folder)
        let loaded = try store.load(input)
        let copy = folder.appendingPathComponent("saved.json")
        try store.save(loaded, to: copy)
        #expect(try store.load(copy) == loaded)
        #expect(
            loaded.updated.timeIntervalSinceReferenceDate.rounded(.down)
                == loaded.updated.timeIntervalSinceReferenceDate)
    }
}
