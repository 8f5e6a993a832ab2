import Testing

@testable import TerminalUI

/// Issue #10, the open item: a CSI sequence with a huge parameter string is read in time linear
/// in its length. The parameters were rebuilt as a new string for every byte, so 4 Mi bytes of
/// parameters meant about 8 Ti bytes copied (this test did not finish); now each is appended.
struct InputDecoderHugeSequenceTests {
    static let size = 4 << 20

    @Test func aHugeParameterStringEndsAsNoKeyAndDecodingGoesOn() {
        var decoder = InputDecoder()
        var events = decoder.feed(.scalar("\u{1B}")) + decoder.feed(.scalar("["))
        for index in 0..<Self.size { events += decoder.feed(.scalar(index.isMultiple(of: 7) ? ";" : "1")) }
        #expect(decoder.isInEscapeSequence)
        #expect(decoder.csiParameters.count == Self.size)
        events += decoder.feed(.scalar("~"))
        #expect(events.isEmpty, "an unknown sequence is no key")
        events += decoder.feed(.scalar("a")) + decoder.feed(.idle)
        #expect(events == [.key(.character("a"))])
        #expect(decoder.csiParameters.isEmpty, "the parameters are not kept once the sequence ends")
    }

    @Test func aLongSequenceThatIsNotOneBecomesAltBracketAndItsText() {
        var decoder = InputDecoder()
        let count = 1 << 16
        var events = decoder.feed(.scalar("\u{1B}")) + decoder.feed(.scalar("["))
        for _ in 0..<count { events += decoder.feed(.scalar("5")) }
        events += decoder.feed(.scalar("é")) + decoder.feed(.idle)
        #expect(events.first == .key(.alt("[")))
        #expect(
            events.dropFirst()
                == (Array(repeating: InputEvent.key(.character("5")), count: count) + [.key(.character("é"))])[...])
    }

    @Test func ordinarySequencesStillDecode() {
        var decoder = InputDecoder()
        let keys = ["\u{1B}[1;5A", "\u{1B}[3~", "\u{1B}[15;2~", "\u{1B}[Z"].flatMap { sequence in
            sequence.unicodeScalars.flatMap { decoder.feed(.scalar($0)) }
        }
        #expect(
            keys == [
                .key(KeyEvent(.up, modifiers: .control)), .key(.delete),
                .key(KeyEvent(.function(5), modifiers: .shift)),
                .key(.backTab)
            ])
    }
}
