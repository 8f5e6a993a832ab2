import Testing

@testable import TerminalUI

struct ColorAndSequenceTests {
    @Test func paletteIndicesFor256Colours() {
        #expect(TerminalColor.default.paletteIndex(forColorCount: 256) == nil)
        #expect(TerminalColor.ansi(9).paletteIndex(forColorCount: 256) == 9)
        #expect(TerminalColor.palette(123).paletteIndex(forColorCount: 256) == 123)
        #expect(TerminalColor.rgb(255, 0, 0).paletteIndex(forColorCount: 256) == 196)
        #expect(TerminalColor.rgb(0, 95, 135).paletteIndex(forColorCount: 256) == 24)
        #expect(TerminalColor.rgb(128, 128, 128).paletteIndex(forColorCount: 256) == 244)
        #expect(TerminalColor.rgb(255, 255, 255).paletteIndex(forColorCount: 256) == 231)
    }

    @Test func downsamplingTo16And8() {
        #expect(TerminalColor.palette(196).paletteIndex(forColorCount: 16) == 9)
        #expect(TerminalColor.palette(196).paletteIndex(forColorCount: 8) == 1)
        #expect(TerminalColor.rgb(10, 10, 10).paletteIndex(forColorCount: 16) == 0)
        #expect(TerminalColor.rgb(0, 200, 0).paletteIndex(forColorCount: 8) == 2)
        #expect(TerminalColor.ansi(12).paletteIndex(forColorCount: 8) == 4)
        #expect(TerminalColor.rgb(255, 0, 0).downsampled(toColorCount: 256) == .palette(196))
        #expect(TerminalColor.palette(21).downsampled(toColorCount: 16) == .ansi(4))
    }

    @Test func paletteRGBValues() {
        #expect(TerminalColor.rgbOfPalette(16) == (0, 0, 0))
        #expect(TerminalColor.rgbOfPalette(231) == (255, 255, 255))
        #expect(TerminalColor.rgbOfPalette(232) == (8, 8, 8))
        #expect(TerminalColor.rgbOfPalette(255) == (238, 238, 238))
    }

    @Test func base64AndClipboardSequence() {
        #expect(ControlSequences.base64(Array("".utf8)) == "")
        #expect(ControlSequences.base64(Array("a".utf8)) == "YQ==")
        #expect(ControlSequences.base64(Array("ab".utf8)) == "YWI=")
        #expect(ControlSequences.base64(Array("hello".utf8)) == "aGVsbG8=")
        #expect(ControlSequences.base64(Array("中文✓".utf8)) == "5Lit5paH4pyT")
        #expect(ControlSequences.setClipboard("hi") == "\u{1B}]52;c;aGk=\u{07}")
    }
}
