import Testing

@testable import TerminalUI

struct InputDecoderTests {
    /// Feeds code points then the end of the burst.
    func decode(_ text: String, idle: Bool = true) -> [InputEvent] {
        var decoder = InputDecoder()
        var events = text.unicodeScalars.flatMap { decoder.feed(.scalar($0)) }
        if idle { events += decoder.feed(.idle) }
        return events
    }

    @Test func printableTextBecomesCharacters() {
        #expect(decode("ab") == [.key(.character("a")), .key(.character("b"))])
        #expect(decode("👨‍👩‍👧é") == [.key(.character("👨‍👩‍👧")), .key(.character("é"))])
        #expect(decode("x", idle: false).isEmpty) // waits for the burst to end
    }

    @Test func controlCodes() {
        #expect(
            decode("\u{1}\u{11}\u{13}\u{3}") == [
                .key(.ctrl("a")), .key(.ctrl("q")), .key(.ctrl("s")), .key(.ctrl("c"))
            ])
        #expect(
            decode("\r\t\u{7F}\u{8}\n") == [
                .key(.enter), .key(.tab), .key(.backspace), .key(.backspace), .key(.ctrl("j"))
            ])
        #expect(decode("a\u{1}b") == [.key(.character("a")), .key(.ctrl("a")), .key(.character("b"))])
    }

    @Test func escapePrefixMeansAlt() {
        #expect(decode("\u{1B}x") == [.key(.alt("x"))])
        #expect(decode("\u{1B}B") == [.key(.alt("B"))])
        #expect(decode("\u{1B}\r") == [.key(.altEnter)])
        #expect(decode("\u{1B}\u{7F}") == [.key(KeyEvent(.backspace, modifiers: .alt))])
        #expect(decode("\u{1B}") == [.key(.escape)])
        #expect(decode("\u{1B}\u{1B}") == [.key(.escape), .key(.escape)])
        var decoder = InputDecoder()
        _ = decoder.feed(.scalar("\u{1B}"))
        #expect(decoder.feed(.key(.up)) == [.key(KeyEvent(.up, modifiers: .alt))])
    }

    @Test func csiAndSs3Sequences() {
        #expect(
            decode("\u{1B}[A\u{1B}[1;5A\u{1B}[1;2D\u{1B}[1;3C") == [
                .key(.up), .key(KeyEvent(.up, modifiers: .control)), .key(KeyEvent(.left, modifiers: .shift)),
                .key(KeyEvent(.right, modifiers: .alt))
            ])
        #expect(
            decode("\u{1B}[Z\u{1B}[3~\u{1B}[5~\u{1B}[6~\u{1B}[H\u{1B}[4~") == [
                .key(.backTab), .key(.delete), .key(.pageUp), .key(.pageDown), .key(.home), .key(.end)
            ])
        #expect(
            decode("\u{1B}OP\u{1B}[15;2~\u{1B}[24~\u{1B}OA") == [
                .key(.function(1)), .key(KeyEvent(.function(5), modifiers: .shift)), .key(.function(12)), .key(.up)
            ])
        #expect(decode("\u{1B}[99x").isEmpty) // unknown sequences are dropped whole
    }

    /// Found by `Scripts/fuzz.sh input` (Fuzz/Crashes/input/csi-modifier-int-min): a modifier field
    /// of Int.min overflowed `value - 1` and trapped. Fields below 1 or beyond Int mean none.
    @Test func outOfRangeModifierFieldsMeanNoModifier() {
        #expect(decode("\u{1B}[1;-9223372036854775808A") == [.key(.up)])
        #expect(
            decode("\u{1B}[1;0B\u{1B}[1;-5C\u{1B}[1;99999999999999999999D") == [.key(.down), .key(.right), .key(.left)])
        #expect(decode("\u{1B}[3;-9223372036854775808~") == [.key(.delete)])
    }

    /// Each parameter byte of a CSI sequence once copied all the bytes before it, so a 1 MB
    /// sequence took minutes (quadratic); the parameters now grow in place. A long sequence that
    /// ends in a final byte is dropped whole; one broken by a control code gives its bytes back.
    @Test func hugeEscapeParametersAreLinearAndLoseNothing() {
        let digits = String(repeating: "1;", count: 500_000)
        #expect(decode("\u{1B}[" + digits + "x" + "z") == [.key(.character("z"))]) // unknown final: dropped
        let broken = decode("\u{1B}[" + digits + "\u{1}")
        #expect(broken.first == .key(.alt("[")))
        #expect(broken.last == .key(.ctrl("a")))
        #expect(broken.count == 2 + digits.count)
    }

    @Test func bracketedPaste() {
        let events = decode("\u{1B}[200~line1\r\nline2\rx\u{1B}[201~z")
        #expect(events == [.paste("line1\nline2\nx"), .key(.character("z"))])
        #expect(decode("\u{1B}[200~a\u{1B}[20b\u{1B}\u{1B}[201~") == [.paste("a\u{1B}[20b\u{1B}")])
    }

    @Test func pasteSurvivesIdleAndCanBeFlushed() {
        var decoder = InputDecoder()
        for scalar in "\u{1B}[200~abc".unicodeScalars { _ = decoder.feed(.scalar(scalar)) }
        #expect(decoder.feed(.idle).isEmpty)
        #expect(decoder.isInPaste)
        #expect(decoder.feed(.key(.up)).isEmpty)
        #expect(decoder.flushPaste() == [.paste("abc")])
        #expect(!decoder.isInPaste)
    }

    @Test func pasteBodyReadInBulk() {
        var decoder = InputDecoder()
        for scalar in "\u{1B}[200~ab".unicodeScalars { _ = decoder.feed(.scalar(scalar)) }
        #expect(decoder.finishPaste(body: "c\r\nd") == [.paste("abc\nd")])
        #expect(!decoder.isInPaste)
        #expect(decoder.finishPaste(body: "ignored").isEmpty)
    }

    @Test func largePasteArrivesAsOneEvent() {
        var decoder = InputDecoder()
        let body = String(repeating: "0123456789abcdef\n", count: 65_536) // ~1.1 MB
        var events: [InputEvent] = []
        for scalar in ("\u{1B}[200~" + body + "\u{1B}[201~").unicodeScalars {
            events += decoder.feed(.scalar(scalar))
        }
        #expect(events.count == 1)
        if case .paste(let text) = events.first {
            #expect(text.utf8.count == body.utf8.count)
        } else {
            Issue.record("expected a paste")
        }
    }

    @Test func passesThroughOtherEvents() {
        var decoder = InputDecoder()
        _ = decoder.feed(.scalar("a"))
        let resize = InputEvent.resize(TerminalSize(width: 90, height: 20))
        #expect(decoder.feed(.event(resize)) == [.key(.character("a")), resize])
    }

    @Test func keyNamesRoundTrip() {
        let keys: [KeyEvent] = [
            .ctrl("a"), .alt("x"), .altEnter, .backTab, .function(5), KeyEvent(.up, modifiers: [.control, .shift]),
            .pageDown, .character("é"), .ctrl(" ")
        ]
        for key in keys {
            #expect(KeyEvent(parsing: key.description) == key, "\(key)")
        }
        #expect(KeyEvent.ctrl("Q") == .ctrl("q"))
        #expect(KeyEvent(parsing: "Ctrl+Shift+Up") == KeyEvent(.up, modifiers: [.control, .shift]))
        #expect(KeyEvent(parsing: "ctrl++") == .ctrl("+"))
        #expect(KeyEvent(parsing: "hyper+a") == nil)
        #expect(KeyEvent(parsing: "f13") == nil)
        #expect(KeyEvent.altEnter.description == "alt+enter")
    }

    @Test func keyEventsMatchInSwitch() {
        func name(_ key: KeyEvent) -> String {
            switch key {
            case .ctrl("q"): return "quit"
            case .altEnter: return "newline"
            case .enter: return "send"
            default: return "other"
            }
        }
        #expect(name(.ctrl("q")) == "quit")
        #expect(name(.altEnter) == "newline")
        #expect(name(.enter) == "send")
        #expect(name(.character("q")) == "other")
    }
}
