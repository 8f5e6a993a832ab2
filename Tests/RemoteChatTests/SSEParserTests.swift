import TestSupport
import Testing

@testable import RemoteChat

/// The parser against the WHATWG `text/event-stream` rules (the standard's own examples where
/// it has them), fed whole and byte by byte.
struct SSEParserTests {
    private func parse(_ text: String, pieces: Int = 1) throws -> [SSEParser.Event] {
        var parser = SSEParser()
        let bytes = Array(text.utf8)
        var events: [SSEParser.Event] = []
        let size = max(1, bytes.count / pieces)
        var start = 0
        while start < bytes.count {
            events += try parser.feed(bytes[start..<min(bytes.count, start + size)])
            start += size
        }
        return events
    }

    @Test func joinsDataLinesAndSkipsComments() throws {
        // The standard's example: "data: YHOO\ndata: +2\ndata: 10\n\n" is one event "YHOO\n+2\n10".
        let events = try parse(": keep-alive\ndata: YHOO\ndata: +2\ndata: 10\n\n")
        #expect(events == [SSEParser.Event(data: "YHOO\n+2\n10")])
    }

    @Test func everyLineEndingEndsALine() throws {
        for ending in ["\n", "\r\n", "\r"] {
            let text = "data: a\(ending)\(ending)event: x\(ending)data: b\(ending)\(ending)"
            #expect(
                try parse(text) == [SSEParser.Event(data: "a"), SSEParser.Event(name: "x", data: "b")],
                "\(Array(ending.utf8))")
        }
    }

    @Test func bytesSplitAnywhereGiveTheSameEvents() throws {
        let text = "\u{FEFF}data: {\"a\": \"é\"}\r\n\r\ndata:no-space\n\n: c\r\ndata\n\ndata: [DONE]\n\n"
        let whole = try parse(text)
        #expect(
            whole == [
                SSEParser.Event(data: "{\"a\": \"é\"}"), SSEParser.Event(data: "no-space"),
                SSEParser.Event(data: ""), SSEParser.Event(data: "[DONE]")
            ])
        var random = SeededRandom(seed: 14)
        for _ in 0..<50 {
            var parser = SSEParser()
            var events: [SSEParser.Event] = []
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let take = Int.random(in: 1...5, using: &random)
                events += try parser.feed(bytes.prefix(take))
                bytes = bytes.dropFirst(take)
            }
            #expect(events == whole)
        }
    }

    @Test func anEventWithoutItsBlankLineIsPending() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("data: half".utf8)).isEmpty)
        #expect(parser.hasPartialEvent)
    }

    @Test func anEndlessLineIsRefusedAtTheLimit() throws {
        var parser = SSEParser(maxEventBytes: 1024)
        #expect(throws: RemoteError.self) { _ = try parser.feed(Array(repeating: UInt8(ascii: "a"), count: 2000)) }
    }

    @Test func invalidUTF8IsMalformed() throws {
        var parser = SSEParser()
        #expect(throws: RemoteError.malformedStream("an event line is not UTF-8")) {
            _ = try parser.feed(Array("data: ".utf8) + [0xFF, 0x0A, 0x0A])
        }
    }
}
