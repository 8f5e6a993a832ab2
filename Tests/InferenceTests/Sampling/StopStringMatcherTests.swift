import Testing

@testable import Inference

/// Stop strings are found across token boundaries and never shown.
struct StopStringMatcherTests {
    private func feed(_ pieces: [String], stops: [String]) -> (shown: String, stopped: Bool) {
        var matcher = StopStringMatcher(stops: stops)
        var shown = ""
        for piece in pieces {
            let (text, stopped) = matcher.push(piece)
            shown += text
            if stopped { return (shown, true) }
        }
        return (shown + matcher.flush(), false)
    }

    @Test func stopSplitAcrossPiecesIsHiddenAndEnds() {
        let result = feed(["Hello ", "wor", "ld\nUs", "er: more"], stops: ["\nUser:"])
        #expect(result.shown == "Hello world")
        #expect(result.stopped)
    }

    @Test func partialMatchThatFailsIsReleased() {
        let result = feed(["a\nU", "nits"], stops: ["\nUser:"])
        #expect(result.shown == "a\nUnits")
        #expect(!result.stopped)
    }

    @Test func earliestOfSeveralStopsWins() {
        let result = feed(["one END two STOP"], stops: ["STOP", "END"])
        #expect(result.shown == "one ")
    }

    @Test func heldBackTextIsFlushedAtTheEnd() {
        let result = feed(["answer <"], stops: ["<|end|>"])
        #expect(result.shown == "answer <")
        #expect(!result.stopped)
    }

    @Test func withoutStopsEverythingPassesStraightThrough() {
        var matcher = StopStringMatcher(stops: [])
        #expect(matcher.push("abc").text == "abc")
    }
}
