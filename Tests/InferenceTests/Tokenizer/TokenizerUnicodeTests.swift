import Testing

@testable import Inference
@testable import Tokenizer

/// The generated character classes: llama.cpp's Unicode 15.1 letters, numbers and White_Space.
@Suite("Unicode classes")
struct TokenizerUnicodeTests {
    @Test("the ASCII fast path agrees with the table")
    func asciiAgrees() {
        for byte in UInt8(0)...127 {
            #expect(TokenizerChar.asciiClass(byte) == TokenizerCharClass.of(UInt32(byte)), "\(byte)")
        }
    }

    @Test(
        "spot checks",
        arguments: [
            (0x00A0, TokenizerCharClass.whitespace), (0x0085, .whitespace), (0x3000, .whitespace),
            (0x2028, .whitespace),
            (0x200B, .other), (0x180E, .other), (0x001C, .other), (0x00BD, .number), (0x2167, .number),
            (0x1D7CE, .number), (0x0301, .other), (0x3002, .punctuation), (0x00E9, .letter), (0x4E2D, .letter),
            (0x2EBF0, .letter), (0x1C89, .other), (0x1F999, .other), (0xE000, .other), (0x110000, .other),
            (0xD800, .other)
        ] as [(UInt32, TokenizerCharClass)])
    func spotChecks(scalar: UInt32, expected: TokenizerCharClass) {
        #expect(TokenizerCharClass.of(scalar) == expected)
    }

    @Test("the range table is sorted and starts at U+0000")
    func tableShape() {
        let ranges = TokenizerUnicodeTable.packedRanges
        #expect(ranges.first.map { $0 >> 3 } == 0)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0 >> 3 < $1 >> 3 })
        #expect(ranges.allSatisfy { $0 & 7 <= 4 })
    }

    @Test("malformed UTF-8 decodes one byte at a time as U+FFFD")
    func malformed() {
        let bytes: [UInt8] = [0xE2, 0x82, 0x41, 0xF0, 0x9F]
        let buffer = bytes.span
        let first = TokenizerChar.decode(buffer, 0, buffer.count)
        let truncated = TokenizerChar.decode(buffer, 3, buffer.count)
        let ascii = TokenizerChar.decode(buffer, 2, buffer.count)
        #expect(first.scalar == 0xFFFD && first.length == 1)
        #expect(truncated.scalar == 0xFFFD && truncated.length == 1)
        #expect(ascii.scalar == 0x41)
    }
}
